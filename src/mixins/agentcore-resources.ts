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

/**
 * The principals that call AgentCore with the key: the named creators, the deployment role and
 * the named users. AgentCore's pages name one caller ("the IAM user or role") for creating and
 * using these resources, so creators and users get the same statements.
 */
function callersOf(inputs: KeyPolicyInputs): iam.IPrincipal[] {
  return [...inputs.keyCreators, ...(inputs.deploymentRole ? [inputs.deploymentRole] : []), ...inputs.keyUsers];
}

/** Memory: the principal that sets the memory up, through AgentCore (memory encryption page). */
function memoryStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return callersOf(inputs).flatMap((caller) => AgentCoreMemoryEncryptionStatements.creatorKeyUse(inputs.scope, caller));
}

/** Gateway: the gateway's service role (`roleArn`), through AgentCore, under the gateway encryption context (gateway encryption page). */
function gatewayStatements(resource: CfnResource, { scope }: KeyPolicyInputs): iam.PolicyStatement[] {
  const roleArn = (resource as unknown as { roleArn?: string }).roleArn;
  return roleArn === undefined ? [] : AgentCoreGatewayEncryptionStatements.serviceRoleKeyUse(scope, new iam.ArnPrincipal(roleArn));
}

/** Policy engine: the callers, through AgentCore, under the policy engine encryption context (policy engine encryption page). */
function policyEngineStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return callersOf(inputs).flatMap((caller) => AgentCorePolicyEngineEncryptionStatements.callerKeyUse(inputs.scope, caller));
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

/** Harness: its managed memory's key, used as for a memory by the principal that creates the harness (not documented by AWS). */
function harnessStatements(_resource: CfnResource, inputs: KeyPolicyInputs): iam.PolicyStatement[] {
  return callersOf(inputs).flatMap((caller) => AgentCoreHarnessEncryptionStatements.creatorKeyUse(inputs.scope, caller));
}
