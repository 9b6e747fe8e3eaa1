// A support assistant on Amazon Bedrock, encrypted with customer managed keys (Go).
//
// The same app as examples/app.ts, construct for construct (same ids, so the same logical ids): an
// application role, a knowledge base of product documentation, an agent that uses it and a flow
// that summarizes tickets, each under its own customer managed key; a nightly evaluation job; a
// plain CfnGuardrail encrypted by the BedrockCustomerManagedKey mixin; alerts on key activity; and
// the BedrockEncryptionChecks aspect on the whole app.
//
//	cdk synth    # cdk.json: "app": "go run ."
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsbedrock"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	cbe "github.com/cdk-bedrock-encryption/cdk-bedrock-encryption-go/cdkbedrockencryption"
)

// TicketSummaryDefinition is input -> prompt (inline, one model) -> output: it summarizes a
// support ticket in one sentence.
func TicketSummaryDefinition(modelID string) *awsbedrock.CfnFlow_FlowDefinitionProperty {
	inline := &awsbedrock.CfnFlow_PromptFlowNodeInlineConfigurationProperty{
		ModelId:      jsii.String(modelID),
		TemplateType: jsii.String("TEXT"),
		TemplateConfiguration: &awsbedrock.CfnFlow_PromptTemplateConfigurationProperty{
			Text: &awsbedrock.CfnFlow_TextPromptTemplateConfigurationProperty{
				Text:           jsii.String("Summarize this support ticket in one sentence: {{ticket}}"),
				InputVariables: &[]interface{}{&awsbedrock.CfnFlow_PromptInputVariableProperty{Name: jsii.String("ticket")}},
			},
		},
	}
	link := func(source, sourceOutput, target, targetInput string) *awsbedrock.CfnFlow_FlowConnectionProperty {
		return &awsbedrock.CfnFlow_FlowConnectionProperty{
			Name:   jsii.String(source + "To" + target),
			Type:   jsii.String("Data"),
			Source: jsii.String(source),
			Target: jsii.String(target),
			Configuration: &awsbedrock.CfnFlow_FlowConnectionConfigurationProperty{
				Data: &awsbedrock.CfnFlow_FlowDataConnectionConfigurationProperty{
					SourceOutput: jsii.String(sourceOutput),
					TargetInput:  jsii.String(targetInput),
				},
			},
		}
	}
	empty := map[string]interface{}{}
	return &awsbedrock.CfnFlow_FlowDefinitionProperty{
		Nodes: &[]interface{}{
			&awsbedrock.CfnFlow_FlowNodeProperty{
				Name:          jsii.String("Ticket"),
				Type:          jsii.String("Input"),
				Configuration: &awsbedrock.CfnFlow_FlowNodeConfigurationProperty{Input: empty},
				Outputs:       &[]interface{}{&awsbedrock.CfnFlow_FlowNodeOutputProperty{Name: jsii.String("document"), Type: jsii.String("String")}},
			},
			&awsbedrock.CfnFlow_FlowNodeProperty{
				Name: jsii.String("Summarize"),
				Type: jsii.String("Prompt"),
				Configuration: &awsbedrock.CfnFlow_FlowNodeConfigurationProperty{
					Prompt: &awsbedrock.CfnFlow_PromptFlowNodeConfigurationProperty{
						SourceConfiguration: &awsbedrock.CfnFlow_PromptFlowNodeSourceConfigurationProperty{Inline: inline},
					},
				},
				Inputs:  &[]interface{}{&awsbedrock.CfnFlow_FlowNodeInputProperty{Name: jsii.String("ticket"), Type: jsii.String("String"), Expression: jsii.String("$.data")}},
				Outputs: &[]interface{}{&awsbedrock.CfnFlow_FlowNodeOutputProperty{Name: jsii.String("modelCompletion"), Type: jsii.String("String")}},
			},
			&awsbedrock.CfnFlow_FlowNodeProperty{
				Name:          jsii.String("Summary"),
				Type:          jsii.String("Output"),
				Configuration: &awsbedrock.CfnFlow_FlowNodeConfigurationProperty{Output: empty},
				Inputs:        &[]interface{}{&awsbedrock.CfnFlow_FlowNodeInputProperty{Name: jsii.String("document"), Type: jsii.String("String"), Expression: jsii.String("$.data")}},
			},
		},
		Connections: &[]interface{}{link("Ticket", "document", "Summarize", "ticket"), link("Summarize", "modelCompletion", "Summary", "document")},
	}
}

// SupportAssistant is what AddSupportAssistant creates.
type SupportAssistant struct {
	Frontend awsiam.Role
	Docs     cbe.EncryptedKnowledgeBase
	Agent    cbe.EncryptedAgent
	Flow     cbe.EncryptedFlow
}

// AddSupportAssistant adds the assistant to scope; the frontend role may use all of it.
func AddSupportAssistant(scope constructs.Construct) SupportAssistant {
	frontend := awsiam.NewRole(scope, jsii.String("Frontend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})

	// Product documentation: S3 data source, S3 Vectors index, ingestion and sessions under one key.
	docs := cbe.NewEncryptedKnowledgeBase(scope, jsii.String("ProductDocs"), &cbe.EncryptedKnowledgeBaseProps{
		EmbeddingModel:    jsii.String("amazon.titan-embed-text-v2:0"),
		InclusionPrefixes: jsii.Strings("docs/"),
	})
	docs.GrantRetrieveAndGenerate(frontend, jsii.String("anthropic.claude-3-5-sonnet-20240620-v1:0"))

	agent := cbe.NewEncryptedAgent(scope, jsii.String("SupportAgent"), &cbe.EncryptedAgentProps{
		AgentName:       jsii.String("support-agent"),
		FoundationModel: jsii.String("us.anthropic.claude-3-5-sonnet-20240620-v1:0"),
		Instruction:     jsii.String("You answer questions about orders, politely and briefly, in the language of the user."),
		Memory:          &cbe.AgentMemoryProps{StorageDays: jsii.Number(30)},
		AliasName:       jsii.String("live"),
		KnowledgeBases: &[]*cbe.AgentKnowledgeBase{
			{KnowledgeBase: docs, Description: jsii.String("Product manuals and FAQs")},
		},
	})
	agent.GrantInvoke(frontend)

	flow := cbe.NewEncryptedFlow(scope, jsii.String("TicketSummary"), &cbe.EncryptedFlowProps{
		FlowName:   jsii.String("ticket-summary"),
		AliasName:  jsii.String("live"),
		Definition: TicketSummaryDefinition("anthropic.claude-3-haiku-20240307-v1:0"),
	})
	flow.GrantInvoke(frontend)

	return SupportAssistant{Frontend: frontend, Docs: docs, Agent: agent, Flow: flow}
}

// NewSupportAssistantStack adds the support assistant's Bedrock resources in a stack.
func NewSupportAssistantStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	assistant := AddSupportAssistant(stack)
	docs, agent, flow := assistant.Docs, assistant.Agent, assistant.Flow
	awscdk.NewCfnOutput(stack, jsii.String("AgentAliasArn"), &awscdk.CfnOutputProps{Value: agent.AliasArn()})
	awscdk.NewCfnOutput(stack, jsii.String("FlowAliasArn"), &awscdk.CfnOutputProps{Value: flow.AliasArn()})

	// A nightly evaluation of the answering model, run by a pipeline.
	evaluation := cbe.NewEncryptedEvaluationJob(stack, jsii.String("AnswerQuality"), &cbe.EncryptedEvaluationJobProps{
		EvaluatorModels: jsii.Strings("anthropic.claude-3-haiku-20240307-v1:0"),
	})
	pipeline := awsiam.NewRole(stack, jsii.String("EvaluationPipeline"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("states.amazonaws.com"), nil),
	})
	evaluation.GrantCreateJob(pipeline)

	// A guardrail written as a plain L1, encrypted by the mixin with a key of its own.
	guardrailKey := cbe.NewBedrockKey(stack, jsii.String("GuardrailKey"), nil)
	awsbedrock.NewCfnGuardrail(stack, jsii.String("ContentFilter"), &awsbedrock.CfnGuardrailProps{
		Name:                    jsii.String("support-content-filter"),
		BlockedInputMessaging:   jsii.String("Sorry, I cannot help with that."),
		BlockedOutputsMessaging: jsii.String("Sorry, I cannot answer that."),
		ContentPolicyConfig: &awsbedrock.CfnGuardrail_ContentPolicyConfigProperty{
			FiltersConfig: &[]interface{}{
				&awsbedrock.CfnGuardrail_ContentFilterConfigProperty{
					Type: jsii.String("HATE"), InputStrength: jsii.String("HIGH"), OutputStrength: jsii.String("HIGH"),
				},
			},
		},
	}).With(cbe.BedrockCustomerManagedKey_FromBedrockKey(guardrailKey, nil))

	// Alerts when someone disables, deletes or re-policies a key, or Bedrock's grants are bypassed.
	cbe.NewKeyActivityMonitor(stack, jsii.String("KeyActivity"), &cbe.KeyActivityMonitorProps{
		Keys: &[]awskms.IKey{docs.EncryptionKey(), agent.EncryptionKey(), flow.EncryptionKey(), evaluation.EncryptionKey(), guardrailKey.Key()},
	})
	return stack
}

// BuildExampleApp adds the example stacks to app.
func BuildExampleApp(app awscdk.App) awscdk.App {
	NewSupportAssistantStack(app, "SupportAssistant", nil)
	// Every Bedrock resource in the app, built with this library or not, must use a customer managed key.
	awscdk.Aspects_Of(app).Add(cbe.NewBedrockEncryptionChecks(nil), nil)
	return app
}

func main() {
	defer jsii.Close()
	BuildExampleApp(awscdk.NewApp(nil)).Synth(nil)
}
