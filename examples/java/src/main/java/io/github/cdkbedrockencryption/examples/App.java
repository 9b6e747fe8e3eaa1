package io.github.cdkbedrockencryption.examples;

import java.util.List;
import java.util.Map;

import io.github.cdkbedrockencryption.AgentKnowledgeBase;
import io.github.cdkbedrockencryption.AgentMemoryProps;
import io.github.cdkbedrockencryption.BedrockCustomerManagedKey;
import io.github.cdkbedrockencryption.BedrockEncryptionChecks;
import io.github.cdkbedrockencryption.BedrockKey;
import io.github.cdkbedrockencryption.EncryptedAgent;
import io.github.cdkbedrockencryption.EncryptedEvaluationJob;
import io.github.cdkbedrockencryption.EncryptedFlow;
import io.github.cdkbedrockencryption.EncryptedKnowledgeBase;
import io.github.cdkbedrockencryption.KeyActivityMonitor;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.bedrock.CfnFlow;
import software.amazon.awscdk.services.bedrock.CfnGuardrail;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * A support assistant on Amazon Bedrock, encrypted with customer managed keys (Java).
 *
 * <p>The same app as examples/app.ts, construct for construct (same ids, so the same logical ids):
 * an application role, a knowledge base of product documentation, an agent that uses it and a flow
 * that summarizes tickets, each under its own customer managed key; a nightly evaluation job; a
 * plain CfnGuardrail encrypted by the BedrockCustomerManagedKey mixin; alerts on key activity; and
 * the BedrockEncryptionChecks aspect on the whole app.
 *
 * <pre>
 * npx cdk synth     # cdk.json: "app": "mvn -e -q compile exec:java"
 * </pre>
 */
public final class App {
    /** Input, prompt (inline, one model), output: summarizes a support ticket in one sentence. */
    public static CfnFlow.FlowDefinitionProperty ticketSummaryDefinition(final String modelId) {
        CfnFlow.PromptFlowNodeInlineConfigurationProperty inline = CfnFlow.PromptFlowNodeInlineConfigurationProperty.builder()
                .modelId(modelId)
                .templateType("TEXT")
                .templateConfiguration(CfnFlow.PromptTemplateConfigurationProperty.builder()
                        .text(CfnFlow.TextPromptTemplateConfigurationProperty.builder()
                                .text("Summarize this support ticket in one sentence: {{ticket}}")
                                .inputVariables(List.of(CfnFlow.PromptInputVariableProperty.builder().name("ticket").build()))
                                .build())
                        .build())
                .build();
        return CfnFlow.FlowDefinitionProperty.builder()
                .nodes(List.of(
                        CfnFlow.FlowNodeProperty.builder()
                                .name("Ticket")
                                .type("Input")
                                .configuration(CfnFlow.FlowNodeConfigurationProperty.builder().input(Map.of()).build())
                                .outputs(List.of(CfnFlow.FlowNodeOutputProperty.builder().name("document").type("String").build()))
                                .build(),
                        CfnFlow.FlowNodeProperty.builder()
                                .name("Summarize")
                                .type("Prompt")
                                .configuration(CfnFlow.FlowNodeConfigurationProperty.builder()
                                        .prompt(CfnFlow.PromptFlowNodeConfigurationProperty.builder()
                                                .sourceConfiguration(CfnFlow.PromptFlowNodeSourceConfigurationProperty.builder()
                                                        .inline(inline)
                                                        .build())
                                                .build())
                                        .build())
                                .inputs(List.of(CfnFlow.FlowNodeInputProperty.builder()
                                        .name("ticket").type("String").expression("$.data").build()))
                                .outputs(List.of(CfnFlow.FlowNodeOutputProperty.builder().name("modelCompletion").type("String").build()))
                                .build(),
                        CfnFlow.FlowNodeProperty.builder()
                                .name("Summary")
                                .type("Output")
                                .configuration(CfnFlow.FlowNodeConfigurationProperty.builder().output(Map.of()).build())
                                .inputs(List.of(CfnFlow.FlowNodeInputProperty.builder()
                                        .name("document").type("String").expression("$.data").build()))
                                .build()))
                .connections(List.of(
                        link("Ticket", "document", "Summarize", "ticket"),
                        link("Summarize", "modelCompletion", "Summary", "document")))
                .build();
    }

    private static CfnFlow.FlowConnectionProperty link(final String source, final String sourceOutput,
                                                       final String target, final String targetInput) {
        return CfnFlow.FlowConnectionProperty.builder()
                .name(source + "To" + target)
                .type("Data")
                .source(source)
                .target(target)
                .configuration(CfnFlow.FlowConnectionConfigurationProperty.builder()
                        .data(CfnFlow.FlowDataConnectionConfigurationProperty.builder()
                                .sourceOutput(sourceOutput)
                                .targetInput(targetInput)
                                .build())
                        .build())
                .build();
    }

    /** What {@link #addSupportAssistant} creates. */
    public record SupportAssistant(Role frontend, EncryptedKnowledgeBase docs, EncryptedAgent agent, EncryptedFlow flow) {
    }

    /** Adds the assistant to {@code scope}; the frontend role may use all of it. */
    public static SupportAssistant addSupportAssistant(final Construct scope) {
        Role frontend = Role.Builder.create(scope, "Frontend")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();

        // Product documentation: S3 data source, S3 Vectors index, ingestion and sessions under one key.
        EncryptedKnowledgeBase docs = EncryptedKnowledgeBase.Builder.create(scope, "ProductDocs")
                .embeddingModel("amazon.titan-embed-text-v2:0")
                .inclusionPrefixes(List.of("docs/"))
                .build();
        docs.grantRetrieveAndGenerate(frontend, "anthropic.claude-3-5-sonnet-20240620-v1:0");

        EncryptedAgent agent = EncryptedAgent.Builder.create(scope, "SupportAgent")
                .agentName("support-agent")
                .foundationModel("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
                .instruction("You answer questions about orders, politely and briefly, in the language of the user.")
                .memory(AgentMemoryProps.builder().storageDays(30).build())
                .aliasName("live")
                .knowledgeBases(List.of(AgentKnowledgeBase.builder()
                        .knowledgeBase(docs)
                        .description("Product manuals and FAQs")
                        .build()))
                .build();
        agent.grantInvoke(frontend);

        EncryptedFlow flow = EncryptedFlow.Builder.create(scope, "TicketSummary")
                .flowName("ticket-summary")
                .aliasName("live")
                .definition(ticketSummaryDefinition("anthropic.claude-3-haiku-20240307-v1:0"))
                .build();
        flow.grantInvoke(frontend);

        return new SupportAssistant(frontend, docs, agent, flow);
    }

    /** The support assistant's Bedrock resources. */
    public static final class SupportAssistantStack extends Stack {
        public SupportAssistantStack(final Construct scope, final String id) {
            super(scope, id);

            SupportAssistant assistant = addSupportAssistant(this);
            CfnOutput.Builder.create(this, "AgentAliasArn").value(assistant.agent().getAliasArn()).build();
            CfnOutput.Builder.create(this, "FlowAliasArn").value(assistant.flow().getAliasArn()).build();

            // A nightly evaluation of the answering model, run by a pipeline.
            EncryptedEvaluationJob evaluation = EncryptedEvaluationJob.Builder.create(this, "AnswerQuality")
                    .evaluatorModels(List.of("anthropic.claude-3-haiku-20240307-v1:0"))
                    .build();
            Role pipeline = Role.Builder.create(this, "EvaluationPipeline")
                    .assumedBy(new ServicePrincipal("states.amazonaws.com"))
                    .build();
            evaluation.grantCreateJob(pipeline);

            // A guardrail written as a plain L1, encrypted by the mixin with a key of its own.
            BedrockKey guardrailKey = new BedrockKey(this, "GuardrailKey");
            CfnGuardrail.Builder.create(this, "ContentFilter")
                    .name("support-content-filter")
                    .blockedInputMessaging("Sorry, I cannot help with that.")
                    .blockedOutputsMessaging("Sorry, I cannot answer that.")
                    .contentPolicyConfig(CfnGuardrail.ContentPolicyConfigProperty.builder()
                            .filtersConfig(List.of(CfnGuardrail.ContentFilterConfigProperty.builder()
                                    .type("HATE").inputStrength("HIGH").outputStrength("HIGH").build()))
                            .build())
                    .build()
                    .with(BedrockCustomerManagedKey.fromBedrockKey(guardrailKey));

            // Alerts when someone disables, deletes or re-policies a key, or Bedrock's grants are bypassed.
            KeyActivityMonitor.Builder.create(this, "KeyActivity")
                    .keys(List.of(assistant.docs().getEncryptionKey(), assistant.agent().getEncryptionKey(),
                            assistant.flow().getEncryptionKey(), evaluation.getEncryptionKey(), guardrailKey.getKey()))
                    .build();
        }
    }

    /** Adds the example stacks to {@code app}. */
    public static software.amazon.awscdk.App buildExampleApp(final software.amazon.awscdk.App app) {
        new SupportAssistantStack(app, "SupportAssistant");
        // Every Bedrock resource in the app, built with this library or not, must use a customer managed key.
        Aspects.of(app).add(new BedrockEncryptionChecks());
        return app;
    }

    private App() {
    }

    public static void main(final String[] args) {
        buildExampleApp(new software.amazon.awscdk.App()).synth();
    }
}
