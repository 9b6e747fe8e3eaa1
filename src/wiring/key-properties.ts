/**
 * Where each Bedrock resource type keeps its customer managed key: the one table that knows
 * each key property. `BedrockCustomerManagedKey` sets these properties and
 * `BedrockEncryptionChecks` reads them.
 */
export interface KeyProperty {
  /** The CloudFormation resource type, e.g. `AWS::Bedrock::Agent`. */
  readonly cfnType: string;
  /** The property path on the L1, e.g. `['serverSideEncryptionConfiguration', 'kmsKeyArn']`. */
  readonly l1Path: string[];
}

/**
 * Every resource type in `aws-cdk-lib/aws-bedrock` and `aws-cdk-lib/aws-bedrockagentcore` with a
 * customer managed key property, plus `AWS::Bedrock::Session` (its L1 arrives after the minimum
 * aws-cdk-lib this library supports).
 */
export const KEY_PROPERTIES: KeyProperty[] = [
  { cfnType: 'AWS::Bedrock::Agent', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::AutomatedReasoningPolicy', l1Path: ['kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::Blueprint', l1Path: ['kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::DataAutomationProject', l1Path: ['kmsKeyId'] },
  { cfnType: 'AWS::Bedrock::DataSource', l1Path: ['serverSideEncryptionConfiguration', 'kmsKeyArn'] },
  { cfnType: 'AWS::Bedrock::Flow', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::Guardrail', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::Bedrock::Prompt', l1Path: ['customerEncryptionKeyArn'] },
  { cfnType: 'AWS::Bedrock::Session', l1Path: ['encryptionKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::ConfigurationBundle', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Dataset', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Evaluator', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Gateway', l1Path: ['kmsKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Harness', l1Path: ['memory', 'managedMemoryConfiguration', 'encryptionKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::Memory', l1Path: ['encryptionKeyArn'] },
  { cfnType: 'AWS::BedrockAgentCore::PolicyEngine', l1Path: ['encryptionKeyArn'] },
];

/** The key property of a resource type; throws for a type the table does not list. */
export function keyPropertyOf(cfnType: string): KeyProperty {
  const property = KEY_PROPERTIES.find((p) => p.cfnType === cfnType);
  if (!property) throw new Error(`no key property is known for ${cfnType}`);
  return property;
}

/** The CloudFormation property path: the L1 path with each segment capitalized. */
export function cfnPathOf(property: KeyProperty): string[] {
  return property.l1Path.map((segment) => segment.charAt(0).toUpperCase() + segment.slice(1));
}

/** `CfnAgent.customerEncryptionKeyArn`: the L1 class and property, for messages. */
export function l1NameOf(property: KeyProperty): string {
  return `Cfn${property.cfnType.split('::')[2]}.${property.l1Path.join('.')}`;
}
