import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EncryptableResource, KeyPolicyInputs } from './encryptable-resources';
import { AgentCoreConfigurationBundleEncryptionStatements } from '../policy/agentcore-configuration-bundle';
import { AgentCoreDatasetEncryptionStatements } from '../policy/agentcore-dataset';
import { AgentCoreEvaluatorEncryptionStatements } from '../policy/agentcore-evaluator';
import { AgentCoreGatewayEncryptionStatements } from '../policy/agentcore-gateway';
import { AgentCoreHarnessEncryptionStatements } from '../policy/agentcore-harness';
import { AgentCoreMemoryEncryptionStatements } from '../policy/agentcore-memory';
import { AgentCorePolicyEngineEncryptionStatements } from '../policy/agentcore-policy-engine';

/**
 * The Amazon Bedrock AgentCore L1s the mixin encrypts, and the key-policy statements each needs.
 * Most of these L1 classes arrive after the minimum aws-cdk-lib this library supports: the
 * entries read them by CloudFormation type and property name, never by class.
 */
export const AGENTCORE_RESOURCES: Array<Pick<EncryptableResource, 'cfnType' | 'keyPolicyStatements'>> = [
  { cfnType: 'AWS::BedrockAgentCore::Memory', keyPolicyStatements: memoryStatements },
  { cfnType: 'AWS::BedrockAgentCore::Gateway', keyPolicyStatements: gatewayStatements },
  { cfnType: 'AWS::BedrockAgentCore::PolicyEngine', keyPolicyStatements: policyEngineStatements },
  { cfnType: 'AWS::BedrockAgentCore::Evaluator', keyPolicyStatements: evaluatorStatements },
  { cfnType: 'AWS::BedrockAgentCore::Dataset', keyPolicyStatements: datasetStatements },
  { cfnType: 'AWS::BedrockAgentCore::ConfigurationBundle', keyPolicyStatements: configurationBundleStatements },
  { cfnType: 'AWS::BedrockAgentCore::Harness', keyPolicyStatements: harnessStatements },
];

/** The principals that create the resources: the named creators and the deployment role. */
function creatorsOf(inputs: KeyPolicyInputs): iam.IPrincipal[] {
  return [...inputs.keyCreators, ...(inputs.deploymentRole ? [inputs.deploymentRole] : [])];
}

/**
 * The principals that call AgentCore with the key: the creators and the named users. Where a page
 * names one caller ("the IAM user or role") for creating and using a resource, and gives it no
 * grant rights, creators and users get the same statements.
 */
function callersOf(inputs: KeyPolicyInputs): iam.IPrincipal[] {
  return [...creatorsOf(inputs), ...inputs.keyUsers];
}

/**
 * Memory: the principal that sets the memory up, through AgentCore (memory encryption page); the
 * named users get the same without kms:CreateGrant (grant rights only to the creator).
 */
function memoryStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...creatorsOf(inputs).flatMap((creator) => AgentCoreMemoryEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
    ...inputs.keyUsers.flatMap((user) => AgentCoreMemoryEncryptionStatements.userKeyUse(inputs.scope, user)),
  ];
}

/**
 * Gateway: the gateway's service role (`roleArn`): the documented statements, through AgentCore
 * under the gateway encryption context (gateway encryption page), and the target-encryption
 * statements AgentCore's requests with the role at CreateGateway need (not documented by AWS).
 */
function gatewayStatements(resource: CfnResource, { scope }: KeyPolicyInputs): iam.PolicyStatement[] {
  const roleArn = (resource as unknown as { roleArn?: string }).roleArn;
  if (roleArn === undefined) return [];
  const role = new iam.ArnPrincipal(roleArn);
  return [
    ...AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(scope, role),
    ...AgentCoreGatewayEncryptionStatements.serviceRoleTargetEncryptionKeyUse(role),
  ];
}

/**
 * Policy engine: the creators create the engine's grants and use the key; the named users call
 * the engine, using the key without kms:CreateGrant; all through AgentCore, under the policy
 * engine encryption context (policy engine encryption page).
 */
function policyEngineStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...creatorsOf(inputs).flatMap((creator) => AgentCorePolicyEngineEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
    ...inputs.keyUsers.flatMap((user) => AgentCorePolicyEngineEncryptionStatements.callerKeyUse(inputs.scope, user)),
  ];
}

/** Evaluator: the callers, and AgentCore's service principal for online evaluation (Evaluations encryption page). */
function evaluatorStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...callersOf(inputs).flatMap((caller) => AgentCoreEvaluatorEncryptionStatements.callerKeyUse(inputs.scope, caller)),
    ...AgentCoreEvaluatorEncryptionStatements.serviceKeyUse(inputs.scope),
  ];
}

/** Dataset: the callers, and AgentCore's service principal for the dataset's S3 objects (dataset encryption page). */
function datasetStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...callersOf(inputs).flatMap((caller) => AgentCoreDatasetEncryptionStatements.callerKeyUse(inputs.scope, caller)),
    ...AgentCoreDatasetEncryptionStatements.serviceKeyUse(inputs.scope),
  ];
}

/** Configuration bundle: the callers, under the bundle encryption context (configuration bundle encryption page). */
function configurationBundleStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return callersOf(inputs).flatMap((caller) => AgentCoreConfigurationBundleEncryptionStatements.callerKeyUse(inputs.scope, caller));
}

/**
 * Harness: its managed memory's key, used as for a memory by the principal that creates the
 * harness, and by the named users without kms:CreateGrant (not documented by AWS).
 */
function harnessStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return [
    ...creatorsOf(inputs).flatMap((creator) => AgentCoreHarnessEncryptionStatements.creatorKeyUse(inputs.scope, creator)),
    ...inputs.keyUsers.flatMap((user) => AgentCoreHarnessEncryptionStatements.userKeyUse(inputs.scope, user)),
  ];
}
