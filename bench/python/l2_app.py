"""The example app's resources written by hand in Python with aws-cdk-lib's L2 constructs.

A line-for-line port of bench/l2-app.ts and bench/app-content.ts: keys, roles, policies, buckets
and the topic as L2s; Bedrock, S3 Vectors and the EventBridge rules as L1s; the same construct
paths, so the same logical ids, and the same statements. bench/python-bench.ts checks that its
template equals the TypeScript one's before it compares their timings.
"""
import re
from typing import Any, Dict, List, Optional, Sequence

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3vectors as s3vectors
from aws_cdk import aws_sns as sns
from constructs import Construct

from app import ticket_summary_definition  # examples/python/app.py

Conditions = Dict[str, Any]
ACCOUNT = cdk.Aws.ACCOUNT_ID
BEDROCK = iam.ServicePrincipal("bedrock.amazonaws.com")

# ---------------------------------------------------------------- bench/app-content.ts


def agent_props(role_arn: str, key_arn: str, model: str, kb_id: str) -> Dict[str, Any]:
    """The agent, given its role, key, model and knowledge base."""
    return dict(
        agent_name="support-agent",
        agent_resource_role_arn=role_arn,
        auto_prepare=True,
        customer_encryption_key_arn=key_arn,
        foundation_model=model,
        instruction="You answer questions about orders, politely and briefly, in the language of the user.",
        memory_configuration=bedrock.CfnAgent.MemoryConfigurationProperty(enabled_memory_types=["SESSION_SUMMARY"], storage_days=30),
        knowledge_bases=[bedrock.CfnAgent.AgentKnowledgeBaseProperty(
            knowledge_base_id=kb_id, description="Product manuals and FAQs", knowledge_base_state="ENABLED")],
    )


def flow_props(role_arn: str, key_arn: str, model: str) -> Dict[str, Any]:
    """The ticket-summary flow, given its role, key and model."""
    return dict(name="ticket-summary", execution_role_arn=role_arn, customer_encryption_key_arn=key_arn,
                definition=ticket_summary_definition(model))


def knowledge_base_props(name: str, role_arn: str, embedding_model_arn: str, index_arn: str) -> Dict[str, Any]:
    """The knowledge base on an S3 Vectors index."""
    kb = bedrock.CfnKnowledgeBase
    return dict(
        name=name,
        role_arn=role_arn,
        knowledge_base_configuration=kb.KnowledgeBaseConfigurationProperty(
            type="VECTOR",
            vector_knowledge_base_configuration=kb.VectorKnowledgeBaseConfigurationProperty(
                embedding_model_arn=embedding_model_arn,
                embedding_model_configuration=kb.EmbeddingModelConfigurationProperty(
                    bedrock_embedding_model_configuration=kb.BedrockEmbeddingModelConfigurationProperty(
                        dimensions=1024, embedding_data_type="FLOAT32"),
                ),
            ),
        ),
        storage_configuration=kb.StorageConfigurationProperty(
            type="S3_VECTORS", s3_vectors_configuration=kb.S3VectorsConfigurationProperty(index_arn=index_arn)),
    )


def vector_index_props(vector_bucket_arn: str) -> Dict[str, Any]:
    """The vector index of the knowledge base (1024 dimensions, Bedrock's metadata keys not filterable)."""
    return dict(
        vector_bucket_arn=vector_bucket_arn,
        data_type="float32",
        dimension=1024,
        distance_metric="cosine",
        metadata_configuration=s3vectors.CfnIndex.MetadataConfigurationProperty(
            non_filterable_metadata_keys=["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"]),
    )


def guardrail_props(kms_key_arn: str) -> Dict[str, Any]:
    """The guardrail, encrypted with ``kms_key_arn``."""
    return dict(
        name="support-content-filter",
        blocked_input_messaging="Sorry, I cannot help with that.",
        blocked_outputs_messaging="Sorry, I cannot answer that.",
        content_policy_config=bedrock.CfnGuardrail.ContentPolicyConfigProperty(filters_config=[
            bedrock.CfnGuardrail.ContentFilterConfigProperty(type="HATE", input_strength="HIGH", output_strength="HIGH"),
        ]),
        kms_key_arn=kms_key_arn,
    )


# construct id, CloudTrail event name, more detail to match, rule state
KEY_ACTIVITIES = [
    ("DisableKey", "DisableKey", {}, None),
    ("ScheduleKeyDeletion", "ScheduleKeyDeletion", {}, None),
    ("PutKeyPolicy", "PutKeyPolicy", {}, None),
    ("CreateGrant", "CreateGrant", {"userIdentity": {"invokedBy": [{"anything-but": "bedrock.amazonaws.com"}, {"exists": False}]}}, None),
    ("DecryptAccessDenied", "Decrypt", {"errorCode": [{"prefix": "AccessDenied"}]}, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
]
KEY_ACTIVITY_RULE_NAMES = [f"key-activity-{a[0]}" for a in KEY_ACTIVITIES]


def key_activity_rules(monitor: Construct, key_arns: List[str], topic_arn: str) -> None:
    """One EventBridge rule per key activity under ``monitor``, sending to the topic."""
    for construct_id, name, extra, state in KEY_ACTIVITIES:
        events.CfnRule(
            Construct(monitor, construct_id),
            "Resource",
            name=f"key-activity-{construct_id}",
            state=state or "ENABLED",
            event_pattern={
                "source": ["aws.kms"],
                "detail-type": ["AWS API Call via CloudTrail"],
                "detail": {"eventSource": ["kms.amazonaws.com"], "eventName": [name], "resources": {"ARN": key_arns}, **extra},
            },
            targets=[events.CfnRule.TargetProperty(arn=topic_arn, id="Topic")],
        )


# ---------------------------------------------------------------- bench/l2-app.ts


def bedrock_arn(scope: Construct, type_: str) -> str:
    """ARN of Bedrock resources of ``type_`` (e.g. ``agent/*``) in the stack's account and region."""
    resource, _, resource_name = type_.partition("/")
    return cdk.Stack.of(scope).format_arn(service="bedrock", resource=resource, resource_name=resource_name or None)


def foundation_model(scope: Construct, model: str, region: Optional[str] = None) -> str:
    """ARN of a foundation model, in the stack's region unless ``region`` is given."""
    return cdk.Stack.of(scope).format_arn(service="bedrock", region=region, account="", resource="foundation-model", resource_name=model)


def via(service: str) -> str:
    """The ``kms:ViaService`` value for calls made by ``service`` in the stack's region."""
    return f"{service}.{cdk.Aws.REGION}.{cdk.Aws.URL_SUFFIX}"


def allow(actions: List[str], resources: List[str], conditions: Optional[Conditions] = None) -> iam.PolicyStatement:
    """An identity-policy statement."""
    return iam.PolicyStatement(actions=actions, resources=resources, conditions=conditions)


def allow_on_key(principal: iam.IPrincipal, actions: List[str], conditions: Optional[Conditions] = None) -> iam.PolicyStatement:
    """A key-policy statement for ``principal``."""
    return iam.PolicyStatement(principals=[principal], actions=actions, resources=["*"], conditions=conditions)


def root_key(scope: Construct, construct_id: str, statements: Sequence[iam.PolicyStatement], description: Optional[str] = None) -> kms.Key:
    """A rotated, retained key whose policy is the account root's ``kms:*`` and ``statements``."""
    return kms.Key(
        scope,
        construct_id,
        description=description,
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
        policy=iam.PolicyDocument(statements=[allow_on_key(iam.AccountRootPrincipal(), ["kms:*"]), *statements]),
    )


def key(scope: Construct, path: str, statements: Sequence[iam.PolicyStatement]) -> kms.Key:
    """Key ``Key`` under ``scope``, described by its ``path`` below the assistant and aliased after its resource's path."""
    k = root_key(scope, "Key", statements, f"Customer managed key for Amazon Bedrock resources ({path})")
    k.add_alias(f"alias/bedrock/{k.node.path.replace('/', '-')}-Resource")
    return k


def bedrock_role(scope: Construct, construct_id: str, type_: str) -> iam.Role:
    """A role Bedrock assumes for resources of ``type_`` in this account."""
    return iam.Role(scope, construct_id, assumed_by=BEDROCK.with_conditions({
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": bedrock_arn(scope, f"{type_}/*")},
    }))


def add_to_policy(role: iam.Role, statements: Sequence[iam.PolicyStatement]) -> iam.Policy:
    """Adds ``statements`` to the role's DefaultPolicy."""
    for statement in statements:
        role.add_to_principal_policy(statement)
    return role.node.find_child("DefaultPolicy")


def encrypted_bucket(scope: Construct, construct_id: str, k: kms.Key) -> s3.Bucket:
    """A private bucket encrypted with ``k``, retained, TLS only."""
    return s3.Bucket(
        scope,
        construct_id,
        encryption=s3.BucketEncryption.KMS,
        encryption_key=k,
        bucket_key_enabled=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


def knowledge_base(scope: Construct, embedding_model: str, prefix: str) -> Dict[str, Any]:
    """Knowledge base on S3 Vectors with an S3 data source, all under one key."""
    docs = Construct(scope, "ProductDocs")
    k = key(Construct(docs, "EncryptionKey"), "ProductDocs/EncryptionKey/Key", [
        allow_on_key(BEDROCK, ["kms:GenerateDataKey", "kms:Decrypt"], {"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
        allow_on_key(iam.ServicePrincipal("indexing.s3vectors.amazonaws.com"), ["kms:Decrypt"], {
            "ArnLike": {"aws:SourceArn": cdk.Stack.of(scope).format_arn(service="s3vectors", resource="bucket", resource_name="*")},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["aws:s3vectors:arn", "aws:s3vectors:resource-id"]},
        }),
    ])
    role = bedrock_role(docs, "Role", "knowledge-base")
    bucket = encrypted_bucket(docs, "DataSourceBucket", k)
    vector_bucket = s3vectors.CfnVectorBucket(docs, "VectorBucket", encryption_configuration=(
        s3vectors.CfnVectorBucket.EncryptionConfigurationProperty(sse_type="aws:kms", kms_key_arn=k.key_arn)))
    index = s3vectors.CfnIndex(docs, "VectorIndex", **vector_index_props(vector_bucket.attr_vector_bucket_arn))
    add_to_policy(role, [
        allow(["bedrock:InvokeModel"], [foundation_model(scope, embedding_model)]),
        allow(["kms:GenerateDataKey", "kms:Decrypt"], [k.key_arn]),
        allow(["s3:ListBucket"], [bucket.bucket_arn], {"StringEquals": {"aws:ResourceAccount": ACCOUNT}, "StringLike": {"s3:prefix": [f"{prefix}*"]}}),
        allow(["s3:GetObject"], [bucket.arn_for_objects(f"{prefix}*")], {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}),
        allow(["kms:Decrypt"], [k.key_arn], {"StringEquals": {"kms:ViaService": via("s3")}}),
        allow(["s3vectors:PutVectors", "s3vectors:GetVectors", "s3vectors:DeleteVectors", "s3vectors:QueryVectors", "s3vectors:GetIndex"],
              [index.attr_index_arn]),
        allow(["kms:Decrypt", "kms:GenerateDataKey"], [k.key_arn], {
            "StringEquals": {"kms:ViaService": via("s3vectors")},
            "ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["aws:s3vectors:arn", "aws:s3vectors:resource-id"]},
        }),
    ])
    kb = bedrock.CfnKnowledgeBase(docs, "Resource", **knowledge_base_props(
        f"docs-{cdk.Aws.STACK_NAME}", role.role_arn, foundation_model(scope, embedding_model), index.attr_index_arn))
    kb.node.add_dependency(role, index)
    data_source = bedrock.CfnDataSource(
        docs,
        "DataSource",
        knowledge_base_id=kb.attr_knowledge_base_id,
        name="s3-data-source",
        data_deletion_policy="RETAIN",
        data_source_configuration=bedrock.CfnDataSource.DataSourceConfigurationProperty(
            type="S3",
            s3_configuration=bedrock.CfnDataSource.S3DataSourceConfigurationProperty(bucket_arn=bucket.bucket_arn, inclusion_prefixes=[prefix]),
        ),
        server_side_encryption_configuration=bedrock.CfnDataSource.ServerSideEncryptionConfigurationProperty(kms_key_arn=k.key_arn),
    )
    data_source.node.add_dependency(role)
    return {"kb": kb, "key": k}


def agent(scope: Construct, model: str, kb_arn: str, kb_id: str) -> Dict[str, Any]:
    """Agent with memory and an alias, using the knowledge base."""
    support_agent = Construct(scope, "SupportAgent")
    role = bedrock_role(support_agent, "ServiceRole", "agent")
    k = key(Construct(support_agent, "EncryptionKey"), "SupportAgent/EncryptionKey/Key", [
        allow_on_key(BEDROCK, ["kms:GenerateDataKey", "kms:Decrypt"], {
            "StringLike": {"kms:EncryptionContext:aws:bedrock:arn": bedrock_arn(scope, "agent/*")},
        }),
        allow_on_key(role, ["kms:GenerateDataKey*", "kms:Decrypt"]),
        allow_on_key(BEDROCK, ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], {"Bool": {"kms:GrantIsForAWSResource": "true"}}),
        allow_on_key(BEDROCK, ["kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"], {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {"aws:SourceArn": bedrock_arn(scope, "agent-alias/*")},
        }),
    ])
    profile = bedrock_arn(scope, f"inference-profile/{model}")
    base_model = re.sub(r"^[a-z-]+\.", "", model)
    add_to_policy(role, [
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:GetInferenceProfile"], [profile]),
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], [foundation_model(scope, base_model, "*")], {
            "StringEquals": {"bedrock:InferenceProfileArn": profile},
        }),
        allow(["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"], [kb_arn]),
        allow(["kms:GenerateDataKey*", "kms:Decrypt"], [k.key_arn]),
    ])
    a = bedrock.CfnAgent(support_agent, "Resource", **agent_props(role.role_arn, k.key_arn, model, kb_id))
    a.node.add_dependency(role)
    alias = bedrock.CfnAgentAlias(support_agent, "Alias", agent_alias_name="live", agent_id=a.attr_agent_id)
    return {"agent": a, "alias": alias, "key": k}


def flow(scope: Construct, model: str) -> Dict[str, Any]:
    """Flow: input -> prompt -> output, with a version and an alias."""
    ticket_summary = Construct(scope, "TicketSummary")
    role = bedrock_role(ticket_summary, "ExecutionRole", "flow")
    k = key(Construct(ticket_summary, "EncryptionKey"), "TicketSummary/EncryptionKey/Key", [
        allow_on_key(role, ["kms:GenerateDataKey", "kms:Decrypt"], {
            "StringLike": {"kms:EncryptionContext:aws:bedrock-flows:arn": bedrock_arn(scope, "flow/*")},
            "StringEquals": {"kms:ViaService": via("bedrock")},
        }),
    ])
    add_to_policy(role, [allow(["bedrock:InvokeModel"], [foundation_model(scope, model)])])
    f = bedrock.CfnFlow(ticket_summary, "Resource", **flow_props(role.role_arn, k.key_arn, model))
    f.node.add_dependency(role)
    flow_policy = iam.Policy(ticket_summary, "FlowPolicy", roles=[role], statements=[
        allow(["kms:GenerateDataKey", "kms:Decrypt"], [k.key_arn], {
            "StringEquals": {"kms:EncryptionContext:aws:bedrock-flows:arn": f.attr_arn, "kms:ViaService": via("bedrock")},
        }),
    ])
    version = bedrock.CfnFlowVersion(ticket_summary, "Version", flow_arn=f.attr_arn, description="Definition v1")
    version.node.add_dependency(flow_policy)
    alias = bedrock.CfnFlowAlias(
        ticket_summary,
        "Alias",
        flow_arn=f.attr_arn,
        name="live",
        routing_configuration=[bedrock.CfnFlowAlias.FlowAliasRoutingConfigurationListItemProperty(flow_version=version.attr_version)],
    )
    return {"flow": f, "alias": alias, "key": k}


def evaluation(scope: Construct, evaluator: str) -> kms.Key:
    """Evaluation job prerequisites: key, role, dataset and output buckets, and a pipeline allowed to start it."""
    answer_quality = Construct(scope, "AnswerQuality")
    k = key(Construct(answer_quality, "EncryptionKey"), "AnswerQuality/EncryptionKey/Key", [
        allow_on_key(BEDROCK, ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], {
            "StringLike": {
                "kms:EncryptionContext:evaluationJobArn": bedrock_arn(scope, "evaluation-job/*"),
                "aws:SourceArn": bedrock_arn(scope, "evaluation-job/*"),
            },
        }),
    ])
    role = bedrock_role(answer_quality, "Role", "evaluation-job")
    dataset = encrypted_bucket(answer_quality, "DatasetBucket", k)
    output = encrypted_bucket(answer_quality, "OutputBucket", k)

    def key_use() -> List[iam.PolicyStatement]:
        return [
            allow(["kms:Decrypt", "kms:GenerateDataKey"], [k.key_arn], {"StringEquals": {"kms:ViaService": via("s3")}}),
            allow(["kms:DescribeKey"], [k.key_arn]),
        ]

    add_to_policy(role, [
        *key_use(),
        allow(["s3:GetObject"], [dataset.arn_for_objects("datasets/*")]),
        allow(["s3:ListBucket"], [dataset.bucket_arn]),
        allow(["s3:PutObject", "s3:AbortMultipartUpload"], [output.arn_for_objects("results/*")]),
        allow(["s3:ListBucket"], [output.bucket_arn]),
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], [foundation_model(scope, evaluator)]),
    ])
    pipeline = iam.Role(scope, "EvaluationPipeline", assumed_by=iam.ServicePrincipal("states.amazonaws.com"))
    add_to_policy(pipeline, [
        allow(["bedrock:CreateEvaluationJob"], [bedrock_arn(scope, "evaluation-job/*")]),
        allow(["iam:PassRole"], [role.role_arn], {"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}}),
        *key_use(),
    ])
    cdk.CfnOutput(scope, "EvalKeyId", description="CreateEvaluationJob customerEncryptionKeyId", value=k.key_arn)
    cdk.CfnOutput(scope, "EvalRoleArn", description="CreateEvaluationJob roleArn", value=role.role_arn)
    return k


def guardrail(scope: Construct) -> kms.Key:
    """A guardrail encrypted with a key of its own."""
    k = key(Construct(scope, "GuardrailKey"), "GuardrailKey/Key", [])
    bedrock.CfnGuardrail(scope, "ContentFilter", **guardrail_props(k.key_arn))
    return k


def key_monitor(scope: Construct, keys: List[kms.IKey]) -> None:
    """EventBridge rules on CloudTrail events for the keys, to an SNS topic encrypted with its own key."""
    key_activity = Construct(scope, "KeyActivity")
    rule_arns = [cdk.Stack.of(scope).format_arn(service="events", resource="rule", resource_name=n) for n in KEY_ACTIVITY_RULE_NAMES]
    from_rules = {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnEquals": {"aws:SourceArn": rule_arns}}
    event_bridge = iam.ServicePrincipal("events.amazonaws.com")
    topic_key = root_key(key_activity, "TopicKey", [allow_on_key(event_bridge, ["kms:Decrypt", "kms:GenerateDataKey"], from_rules)])
    topic_key.add_alias("alias/key-activity/SupportAssistant-KeyActivity")
    topic = sns.Topic(key_activity, "Topic", master_key=topic_key, enforce_ssl=True)
    topic.add_to_resource_policy(iam.PolicyStatement(
        principals=[event_bridge], actions=["sns:Publish"], resources=[topic.topic_arn], conditions=from_rules))
    key_activity_rules(key_activity, [k.key_arn for k in keys], topic.topic_arn)


def assistant_l2(scope: Construct) -> List[kms.Key]:
    """One agent + flow + knowledge base and a frontend role allowed to use them."""
    frontend = iam.Role(scope, "Frontend", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    docs = knowledge_base(scope, "amazon.titan-embed-text-v2:0", "docs/")
    a = agent(scope, "us.anthropic.claude-3-5-sonnet-20240620-v1:0", docs["kb"].attr_knowledge_base_arn, docs["kb"].attr_knowledge_base_id)
    f = flow(scope, "anthropic.claude-3-haiku-20240307-v1:0")
    add_to_policy(frontend, [
        allow(["bedrock:Retrieve"], [docs["kb"].attr_knowledge_base_arn]),
        allow(["bedrock:RetrieveAndGenerate"], ["*"]),
        allow(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], [foundation_model(scope, "anthropic.claude-3-5-sonnet-20240620-v1:0")]),
        allow(["kms:GenerateDataKey", "kms:Decrypt"], [docs["key"].key_arn], {"StringEquals": {"kms:ViaService": via("bedrock")}}),
        allow(["bedrock:InvokeAgent"], [a["alias"].attr_agent_alias_arn]),
        allow(["kms:GenerateDataKey", "kms:Decrypt"], [a["key"].key_arn],
              {"StringEquals": {"kms:EncryptionContext:aws:bedrock:arn": a["agent"].attr_agent_arn}}),
        allow(["kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"], [a["key"].key_arn], {
            "StringEquals": {"kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn": a["alias"].attr_agent_alias_arn},
        }),
        allow(["kms:Decrypt"], [a["key"].key_arn], {
            "StringEquals": {"kms:EncryptionContext:aws-crypto-ec:aws:bedrock:arn": a["alias"].attr_agent_alias_arn, "kms:ViaService": via("bedrock")},
        }),
        allow(["bedrock:InvokeFlow"], [f["alias"].attr_arn]),
        allow(["kms:GenerateDataKey", "kms:Decrypt"], [f["key"].key_arn], {
            "StringEquals": {"kms:EncryptionContext:aws:bedrock-flows:arn": f["flow"].attr_arn, "kms:ViaService": via("bedrock")},
        }),
    ])
    cdk.CfnOutput(scope, "AgentAliasArn", value=a["alias"].attr_agent_alias_arn)
    cdk.CfnOutput(scope, "FlowAliasArn", value=f["alias"].attr_arn)
    return [docs["key"], a["key"], f["key"]]


def build_l2_app(app: Optional[cdk.App] = None) -> cdk.App:
    """The example app (examples/python/app.py) in L2 constructs where aws-cdk-lib has them."""
    app = app or cdk.App()
    stack = cdk.Stack(app, "SupportAssistant")
    keys = assistant_l2(stack)
    keys.append(evaluation(stack, "anthropic.claude-3-haiku-20240307-v1:0"))
    keys.append(guardrail(stack))
    key_monitor(stack, keys)
    return app
