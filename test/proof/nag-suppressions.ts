/**
 * Every cdk-nag finding the proof suite acknowledges, in one place. Each acknowledgement names the
 * rule, the findings (for granular rules such as `AwsSolutions-IAM5`), the resources it covers
 * (`path`, a pattern over the construct path with a leading '/') and why the finding is accepted.
 * nag.ts acknowledges each covered finding on its resource with
 * `Validations.of(resource).acknowledge({ id: 'RuleId[FindingId]', reason })`; cdk-nag.test.ts proves
 * each acknowledgement is still needed: without it, its rule fires.
 */

/** One acknowledgement. */
export interface ProofAcknowledgement {
  /** The cdk-nag rule id, for example `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding is accepted. */
  readonly reason: string;
  /**
   * The findings of a granular rule this acknowledgement covers (`Action::kms:ReEncrypt*`, or a
   * pattern). Without it, only the rule's finding without a finding id is covered.
   */
  readonly findings?: Array<string | RegExp>;
  /** The CloudFormation resources it covers, matched against `/<construct path>`. */
  readonly path: RegExp;
}

/** The S3 buckets the constructs create when the user brings none. */
const DEFAULT_BUCKETS = /\/(DataSourceBucket|DatasetBucket|OutputBucket|TrainingDataBucket|ModelDataBucket|InputBucket|LogBucket)\/Resource$/;

const ACCESS_LOGS = 'Server access logs need a log bucket that the account owner chooses (often a central, ' +
  'cross-account one); the constructs take the user\'s own bucket for that case. The default buckets are SSE-KMS ' +
  'with the construct\'s key, block public access and deny non-TLS requests.';
const REPLICATION = 'Cross-region replication needs a second bucket (and key) in another region, a disaster-recovery ' +
  'decision for the account owner; training data, evaluation datasets and documents are re-uploadable inputs.';
const VERSIONING = 'The default buckets hold job inputs and outputs that Bedrock reads or writes once; versioning ' +
  'is a retention choice for the user, who can pass a versioned bucket of their own.';
const INLINE_POLICY = 'AWS::IAM::Policy attached to exactly one role is how CDK grants work; each statement is scoped ' +
  'to this construct\'s key, buckets and Bedrock resources, and a managed policy would make it reusable by other ' +
  'principals, which is what the rule wants to prevent.';

/** The acknowledgements, one per rule and finding. */
export const NAG_ACKNOWLEDGEMENTS: ProofAcknowledgement[] = [
  { id: 'AwsSolutions-S1', reason: ACCESS_LOGS, path: DEFAULT_BUCKETS },
  { id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: ACCESS_LOGS, path: DEFAULT_BUCKETS },
  { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: ACCESS_LOGS, path: DEFAULT_BUCKETS },
  { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: REPLICATION, path: DEFAULT_BUCKETS },
  { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: REPLICATION, path: DEFAULT_BUCKETS },
  { id: 'HIPAA.Security-S3BucketVersioningEnabled', reason: VERSIONING, path: DEFAULT_BUCKETS },
  { id: 'NIST.800.53.R5-S3BucketVersioningEnabled', reason: VERSIONING, path: DEFAULT_BUCKETS },
  { id: 'HIPAA.Security-IAMNoInlinePolicy', reason: INLINE_POLICY, path: /\/(DefaultPolicy|FlowPolicy|MemoryPolicy)\/Resource$/ },
  { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY, path: /\/(DefaultPolicy|FlowPolicy|MemoryPolicy)\/Resource$/ },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'Object-level S3 access under the prefix the data source or job reads and writes: the object keys are ' +
      'chosen at run time, so the resource is <bucket ARN>/<prefix>/* of the construct\'s own bucket.',
    findings: [/^Resource::<[A-Za-z0-9]+Bucket[0-9A-F]{8}\.Arn>\/([^*]+\/)?\*$/],
    path: /\/Role\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'kms:ReEncrypt* (ReEncryptFrom and ReEncryptTo) is what the Bedrock User Guide ("Permissions for ' +
      'long-term memory") gives callers of an agent with memory; it is limited to the agent\'s key and to the ' +
      'encryption context of the agent alias.',
    findings: ['Action::kms:ReEncrypt*'],
    path: /^\/SupportAssistant\/Frontend\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'bedrock:RetrieveAndGenerate has no resource type in the Service Authorization Reference, so "*" is the ' +
      'only resource it accepts; the knowledge base itself is guarded by bedrock:Retrieve on its ARN.',
    findings: ['Resource::*'],
    path: /^\/SupportAssistant\/(Frontend\/DefaultPolicy|SupportAgent\/ServiceRole\/DefaultPolicy)\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'A cross-region inference profile routes a request to the foundation model in any of its regions; the ' +
      'statement is limited to one model and to requests made through the named profile (bedrock:InferenceProfileArn).',
    findings: [/^Resource::arn:<AWS::Partition>:bedrock:\*::foundation-model\/[^*]+$/],
    path: /\/(ServiceRole|ExecutionRole)\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'IAM authorizes bedrock:CreateEvaluationJob on the models the job evaluates (foundation models, custom ' +
      'models, prompt routers; Service Authorization Reference), which the caller names in each request at run ' +
      'time; the statement is limited to those resource types in this account and region.',
    findings: [/^Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>:(<AWS::AccountId>)?:(foundation-model|custom-model|prompt-router|default-prompt-router)\/\*$/],
    path: /^\/SupportAssistant\/EvaluationPipeline\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'A judge-model evaluation runs batch inference jobs whose ids Bedrock picks at run time ("Required service ' +
      'role permissions for creating a model evaluation job that uses a judge model"); the statement is limited to ' +
      'batch inference jobs of this account and region.',
    findings: ['Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:model-invocation-job/*'],
    path: /\/Role\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'A harness writes to the log group of its AgentCore runtime, named after the runtime id AgentCore generates ' +
      'when it creates the harness ("Security and access controls", the execution role policy): the statement is ' +
      'limited to the runtime log groups of this account and region and their streams.',
    findings: [/^Resource::arn:<AWS::Partition>:logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/bedrock-agentcore\/runtimes\/\*(:log-stream:\*)?$/],
    path: /\/ExecutionRole\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets and ' +
      'logs:DescribeLogGroups have no resource type in the Service Authorization Reference, so "*" is the only ' +
      'resource they accept; the harness security page gives them to the execution role.',
    findings: ['Resource::*'],
    path: /\/ExecutionRole\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'kms:ReEncrypt* (ReEncryptFrom and ReEncryptTo) is what the AgentCore memory encryption page gives the ' +
      'principals that use an encrypted memory; the harness execution role gets it on its own key only, through AgentCore.',
    findings: ['Action::kms:ReEncrypt*'],
    path: /\/ExecutionRole\/DefaultPolicy\/Resource$/,
  },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'bedrock-agentcore:InvokeAgentRuntime authorizes on the runtime and its endpoints; a caller names the ' +
      'endpoint (DEFAULT or another qualifier) in each request, and the statement is limited to the endpoints of this ' +
      "harness's runtime.",
    findings: [/^Resource::<[A-Za-z0-9]+\.Environment\.AgentCoreRuntimeEnvironment\.AgentRuntimeArn>\/runtime-endpoint\/\*$/],
    path: /\/Caller\/DefaultPolicy\/Resource$/,
  },
];
