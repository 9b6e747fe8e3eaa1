#!/usr/bin/env python3
"""A support assistant on Amazon Bedrock, encrypted with customer managed keys (Python).

An agent with long-term memory and an alias, answering from a knowledge base of product
documentation (S3 data source, S3 Vectors index); one BedrockKey encrypts both. The frontend
role may invoke the agent and query the knowledge base.

    pip install aws-cdk-lib constructs cdk-bedrock-encryption
    cdk synth --app "python3 app.py"
"""
import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_bedrock_encryption import (
    AgentKnowledgeBase,
    AgentMemoryProps,
    BedrockKey,
    EncryptedAgent,
    EncryptedKnowledgeBase,
    VectorStore,
)


class SupportAssistantStack(cdk.Stack):
    """The support assistant's Bedrock resources."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        frontend = iam.Role(self, "Frontend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))

        # One key for the agent, its memory and the knowledge base.
        key = BedrockKey(
            self,
            "AssistantKey",
            alias="alias/support-assistant",
            pending_window=cdk.Duration.days(30),
            rotation_period=cdk.Duration.days(180),
        )

        docs = EncryptedKnowledgeBase(
            self,
            "ProductDocs",
            embedding_model="amazon.titan-embed-text-v2:0",
            inclusion_prefixes=["docs/"],
            encryption_key=key.key,
            vector_store=VectorStore.s3_vectors(index_name="product-docs"),
        )
        docs.grant_retrieve_and_generate(frontend, "anthropic.claude-3-5-sonnet-20240620-v1:0")

        agent = EncryptedAgent(
            self,
            "SupportAgent",
            agent_name="support-agent",
            foundation_model="us.anthropic.claude-3-5-sonnet-20240620-v1:0",
            instruction="You answer questions about orders, politely and briefly, in the language of the user.",
            idle_session_ttl=cdk.Duration.minutes(10),
            memory=AgentMemoryProps(storage_days=30),
            alias_name="live",
            encryption_key=key.key,
            knowledge_bases=[AgentKnowledgeBase(knowledge_base=docs, description="Product manuals and FAQs")],
        )
        agent.grant_invoke(frontend)

        cdk.CfnOutput(self, "AgentAliasArn", value=agent.alias_arn)
        cdk.CfnOutput(self, "KnowledgeBaseId", value=docs.knowledge_base_id)


app = cdk.App()
SupportAssistantStack(app, "SupportAssistant")
app.synth()
