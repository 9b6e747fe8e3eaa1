#!/usr/bin/env python3
"""A support assistant on Amazon Bedrock, encrypted with customer managed keys (Python).

The same app as examples/app.ts, construct for construct (same ids, so the same logical ids): an
application role, a knowledge base of product documentation, an agent that uses it and a flow
that summarizes tickets, each under its own customer managed key; a nightly evaluation job; a
plain CfnGuardrail encrypted by the BedrockCustomerManagedKey mixin; alerts on key activity; and
the BedrockEncryptionChecks aspect on the whole app.

    cdk synth    # cdk.json: "app": "python3 app.py"
"""
from typing import Any, Dict, Optional

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_bedrock_encryption import (
    AgentKnowledgeBase,
    AgentMemoryProps,
    BedrockCustomerManagedKey,
    BedrockEncryptionChecks,
    BedrockKey,
    EncryptedAgent,
    EncryptedEvaluationJob,
    EncryptedFlow,
    EncryptedKnowledgeBase,
    KeyActivityMonitor,
)


def ticket_summary_definition(model_id: str = "anthropic.claude-3-haiku-20240307-v1:0") -> bedrock.CfnFlow.FlowDefinitionProperty:
    """Input -> prompt (inline, one model) -> output: summarizes a support ticket in one sentence."""
    cfn = bedrock.CfnFlow
    inline = cfn.PromptFlowNodeInlineConfigurationProperty(
        model_id=model_id,
        template_type="TEXT",
        template_configuration=cfn.PromptTemplateConfigurationProperty(
            text=cfn.TextPromptTemplateConfigurationProperty(
                text="Summarize this support ticket in one sentence: {{ticket}}",
                input_variables=[cfn.PromptInputVariableProperty(name="ticket")],
            ),
        ),
    )

    def link(source: str, source_output: str, target: str, target_input: str) -> bedrock.CfnFlow.FlowConnectionProperty:
        data = cfn.FlowDataConnectionConfigurationProperty(source_output=source_output, target_input=target_input)
        return cfn.FlowConnectionProperty(
            name=f"{source}To{target}",
            type="Data",
            source=source,
            target=target,
            configuration=cfn.FlowConnectionConfigurationProperty(data=data),
        )

    return cfn.FlowDefinitionProperty(
        nodes=[
            cfn.FlowNodeProperty(
                name="Ticket",
                type="Input",
                configuration=cfn.FlowNodeConfigurationProperty(input={}),
                outputs=[cfn.FlowNodeOutputProperty(name="document", type="String")],
            ),
            cfn.FlowNodeProperty(
                name="Summarize",
                type="Prompt",
                configuration=cfn.FlowNodeConfigurationProperty(
                    prompt=cfn.PromptFlowNodeConfigurationProperty(
                        source_configuration=cfn.PromptFlowNodeSourceConfigurationProperty(inline=inline),
                    ),
                ),
                inputs=[cfn.FlowNodeInputProperty(name="ticket", type="String", expression="$.data")],
                outputs=[cfn.FlowNodeOutputProperty(name="modelCompletion", type="String")],
            ),
            cfn.FlowNodeProperty(
                name="Summary",
                type="Output",
                configuration=cfn.FlowNodeConfigurationProperty(output={}),
                inputs=[cfn.FlowNodeInputProperty(name="document", type="String", expression="$.data")],
            ),
        ],
        connections=[link("Ticket", "document", "Summarize", "ticket"), link("Summarize", "modelCompletion", "Summary", "document")],
    )


def add_support_assistant(scope: Construct) -> Dict[str, Any]:
    """Adds the assistant to ``scope``; the frontend role may use all of it."""
    frontend = iam.Role(scope, "Frontend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))

    # Product documentation: S3 data source, S3 Vectors index, ingestion and sessions under one key.
    docs = EncryptedKnowledgeBase(
        scope,
        "ProductDocs",
        embedding_model="amazon.titan-embed-text-v2:0",
        inclusion_prefixes=["docs/"],
    )
    docs.grant_retrieve_and_generate(frontend, "anthropic.claude-3-5-sonnet-20240620-v1:0")

    agent = EncryptedAgent(
        scope,
        "SupportAgent",
        agent_name="support-agent",
        foundation_model="us.anthropic.claude-3-5-sonnet-20240620-v1:0",
        instruction="You answer questions about orders, politely and briefly, in the language of the user.",
        memory=AgentMemoryProps(storage_days=30),
        alias_name="live",
        knowledge_bases=[AgentKnowledgeBase(knowledge_base=docs, description="Product manuals and FAQs")],
    )
    agent.grant_invoke(frontend)

    flow = EncryptedFlow(
        scope,
        "TicketSummary",
        flow_name="ticket-summary",
        alias_name="live",
        definition=ticket_summary_definition(),
    )
    flow.grant_invoke(frontend)

    return {"frontend": frontend, "docs": docs, "agent": agent, "flow": flow}


class SupportAssistantStack(cdk.Stack):
    """The support assistant's Bedrock resources."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)

        assistant = add_support_assistant(self)
        docs, agent, flow = assistant["docs"], assistant["agent"], assistant["flow"]
        cdk.CfnOutput(self, "AgentAliasArn", value=agent.alias_arn)
        cdk.CfnOutput(self, "FlowAliasArn", value=flow.alias_arn)

        # A nightly evaluation of the answering model, run by a pipeline.
        evaluation = EncryptedEvaluationJob(
            self,
            "AnswerQuality",
            evaluator_models=["anthropic.claude-3-haiku-20240307-v1:0"],
        )
        pipeline = iam.Role(self, "EvaluationPipeline", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
        evaluation.grant_create_job(pipeline)

        # A guardrail written as a plain L1, encrypted by the mixin with a key of its own.
        guardrail_key = BedrockKey(self, "GuardrailKey")
        bedrock.CfnGuardrail(
            self,
            "ContentFilter",
            name="support-content-filter",
            blocked_input_messaging="Sorry, I cannot help with that.",
            blocked_outputs_messaging="Sorry, I cannot answer that.",
            content_policy_config=bedrock.CfnGuardrail.ContentPolicyConfigProperty(
                filters_config=[
                    bedrock.CfnGuardrail.ContentFilterConfigProperty(type="HATE", input_strength="HIGH", output_strength="HIGH"),
                ],
            ),
        ).with_(BedrockCustomerManagedKey.from_bedrock_key(guardrail_key))

        # Alerts when someone disables, deletes or re-policies a key, or Bedrock's grants are bypassed.
        KeyActivityMonitor(
            self,
            "KeyActivity",
            keys=[docs.encryption_key, agent.encryption_key, flow.encryption_key, evaluation.encryption_key, guardrail_key.key],
        )


def build_example_app(app: Optional[cdk.App] = None) -> cdk.App:
    """Adds the example stacks to ``app``."""
    app = app or cdk.App()
    SupportAssistantStack(app, "SupportAssistant")
    # Every Bedrock resource in the app, built with this library or not, must use a customer managed key.
    cdk.Aspects.of(app).add(BedrockEncryptionChecks())
    return app


if __name__ == "__main__":
    build_example_app().synth()
