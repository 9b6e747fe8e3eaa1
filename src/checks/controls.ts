import { BedrockEncryptionRules } from './rules';

/**
 * The controls of other frameworks that check what a rule checks, so a security team can map the
 * findings: AWS Config managed rules, AWS Security Hub controls, checkov and Prowler checks. Only
 * controls that exist are listed; a rule with none names none. Data, read by `finding()`.
 */

/** A control of another framework. */
export interface Control {
  readonly framework: 'AWS Config' | 'AWS Security Hub' | 'checkov' | 'Prowler';
  readonly id: string;
}

const config = (id: string): Control => ({ framework: 'AWS Config', id });
const securityHub = (id: string): Control => ({ framework: 'AWS Security Hub', id });
const checkov = (id: string): Control => ({ framework: 'checkov', id });
const prowler = (id: string): Control => ({ framework: 'Prowler', id });

/**
 * By rule id, then by CloudFormation type (`*` for every type the rule reads).
 * Sources: AWS Config Developer Guide, "List of AWS Config Managed Rules"
 * (https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html: bedrock-data-source-encryption-enabled,
 * bedrock-agentcore-memory-encryption-enabled, bedrockagentcore-gateway-encryption-enabled, cmk-backing-key-rotation-enabled);
 * AWS Security Hub User Guide, "Security Hub controls for Amazon Bedrock" (bedrock-controls.html, Bedrock.1), "for Amazon
 * Bedrock AgentCore" (bedrockagentcore-controls.html, BedrockAgentCore.3 and .4) and "for AWS KMS" (kms-controls.html, KMS.4);
 * the checkov policy index (https://www.checkov.io/5.Policy%20Index/cloudformation.html: CKV_AWS_373, CKV_AWS_7); the Prowler
 * checks hub (https://hub.prowler.com: bedrock_knowledge_base_encrypted_with_cmk, bedrock_prompt_encrypted_with_cmk,
 * kms_cmk_rotation_enabled, iam_role_cross_service_confused_deputy_prevention).
 */
export const CONTROLS: Record<string, Record<string, Control[]>> = {
  [BedrockEncryptionRules.NO_CUSTOMER_MANAGED_KEY]: {
    'AWS::Bedrock::Agent': [checkov('CKV_AWS_373')],
    // Prowler's check reads each data source's serverSideEncryptionConfiguration.kmsKeyArn, whatever its name says
    'AWS::Bedrock::DataSource': [config('BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED'), securityHub('Bedrock.1'), prowler('bedrock_knowledge_base_encrypted_with_cmk')],
    'AWS::Bedrock::Prompt': [prowler('bedrock_prompt_encrypted_with_cmk')],
    'AWS::BedrockAgentCore::Memory': [config('BEDROCK_AGENTCORE_MEMORY_ENCRYPTION_ENABLED'), securityHub('BedrockAgentCore.3')],
    'AWS::BedrockAgentCore::Gateway': [config('BEDROCKAGENTCORE_GATEWAY_ENCRYPTION_ENABLED'), securityHub('BedrockAgentCore.4')],
  },
  [BedrockEncryptionRules.KEY_ROTATION_OFF]: {
    '*': [config('CMK_BACKING_KEY_ROTATION_ENABLED'), securityHub('KMS.4'), checkov('CKV_AWS_7'), prowler('kms_cmk_rotation_enabled')],
  },
  // Prowler's check passes a trust statement with any one such condition; this rule asks for both
  [BedrockEncryptionRules.SERVICE_ROLE_TRUST_UNCONDITIONED]: {
    '*': [prowler('iam_role_cross_service_confused_deputy_prevention')],
  },
};

/** The controls that check what `ruleId` checks on a resource of `cfnType`. */
export function controlsOf(ruleId: string, cfnType: string): Control[] {
  const byType = CONTROLS[ruleId] ?? {};
  return byType[cfnType] ?? byType['*'] ?? [];
}

/** ` Matching controls: AWS Config X, AWS Security Hub Y.`, or nothing when there is none. */
export function controlsSentence(ruleId: string, cfnType: string): string {
  const controls = controlsOf(ruleId, cfnType);
  return controls.length === 0 ? '' : ` Matching controls: ${controls.map((c) => `${c.framework} ${c.id}`).join(', ')}.`;
}
