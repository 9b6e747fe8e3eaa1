package io.github.cdkbedrockencryption.examples;

import java.util.List;

import io.github.cdkbedrockencryption.AgentKnowledgeBase;
import io.github.cdkbedrockencryption.AgentMemoryProps;
import io.github.cdkbedrockencryption.BedrockKey;
import io.github.cdkbedrockencryption.EncryptedAgent;
import io.github.cdkbedrockencryption.EncryptedKnowledgeBase;
import io.github.cdkbedrockencryption.S3VectorsStoreProps;
import io.github.cdkbedrockencryption.VectorStore;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * A support assistant on Amazon Bedrock, encrypted with customer managed keys (Java).
 *
 * <p>An agent with long-term memory and an alias, answering from a knowledge base of product
 * documentation (S3 data source, S3 Vectors index); one BedrockKey encrypts both. The frontend
 * role may invoke the agent and query the knowledge base.
 *
 * <pre>
 * cdk synth --app "mvn -e -q compile exec:java"
 * </pre>
 */
public final class App {
    /** The support assistant's Bedrock resources. */
    public static final class SupportAssistantStack extends Stack {
        public SupportAssistantStack(final Construct scope, final String id) {
            super(scope, id);

            Role frontend = Role.Builder.create(this, "Frontend")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .build();

            // One key for the agent, its memory and the knowledge base.
            BedrockKey key = BedrockKey.Builder.create(this, "AssistantKey")
                    .alias("alias/support-assistant")
                    .pendingWindow(Duration.days(30))
                    .rotationPeriod(Duration.days(180))
                    .build();

            EncryptedKnowledgeBase docs = EncryptedKnowledgeBase.Builder.create(this, "ProductDocs")
                    .embeddingModel("amazon.titan-embed-text-v2:0")
                    .inclusionPrefixes(List.of("docs/"))
                    .encryptionKey(key.getKey())
                    .vectorStore(VectorStore.s3Vectors(S3VectorsStoreProps.builder()
                            .indexName("product-docs")
                            .build()))
                    .build();
            docs.grantRetrieveAndGenerate(frontend, "anthropic.claude-3-5-sonnet-20240620-v1:0");

            EncryptedAgent agent = EncryptedAgent.Builder.create(this, "SupportAgent")
                    .agentName("support-agent")
                    .foundationModel("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
                    .instruction("You answer questions about orders, politely and briefly, in the language of the user.")
                    .idleSessionTtl(Duration.minutes(10))
                    .memory(AgentMemoryProps.builder().storageDays(30).build())
                    .aliasName("live")
                    .encryptionKey(key.getKey())
                    .knowledgeBases(List.of(AgentKnowledgeBase.builder()
                            .knowledgeBase(docs)
                            .description("Product manuals and FAQs")
                            .build()))
                    .build();
            agent.grantInvoke(frontend);

            CfnOutput.Builder.create(this, "AgentAliasArn").value(agent.getAliasArn()).build();
            CfnOutput.Builder.create(this, "KnowledgeBaseId").value(docs.getKnowledgeBaseId()).build();
        }
    }

    private App() {
    }

    public static void main(final String[] args) {
        software.amazon.awscdk.App app = new software.amazon.awscdk.App();
        new SupportAssistantStack(app, "SupportAssistant");
        app.synth();
    }
}
