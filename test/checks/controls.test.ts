import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import { checkedStack, findings } from './helpers';
import { BedrockEncryptionRules as R } from '../../src/checks';
import { CONTROLS } from '../../src/checks/controls';
import { INSPECTED_TYPES } from '../../src/checks/rule-checks';

/**
 * Each finding names the controls of other frameworks that check the same thing (AWS Config,
 * Security Hub, checkov, Prowler), where any exist, so a security team can map the findings.
 */
describe('matching controls', () => {
  test('a data source without a key names the AWS Config rule, the Security Hub control and the Prowler check', () => {
    const stack = checkedStack();
    new bedrock.CfnDataSource(stack, 'Ds', {
      name: 'ds', knowledgeBaseId: 'KB12345678', dataSourceConfiguration: { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } },
    });
    expect(findings(stack, R.NO_CUSTOMER_MANAGED_KEY)).toEqual([['/Checked/Ds', expect.stringMatching(
      / Matching controls: AWS Config BEDROCK_DATA_SOURCE_ENCRYPTION_ENABLED, AWS Security Hub Bedrock\.1, Prowler bedrock_knowledge_base_encrypted_with_cmk\.$/)]]);
  });

  test('an agent without a key names the checkov check; a flow, which no framework checks, names none', () => {
    const stack = checkedStack();
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a' });
    new bedrock.CfnFlow(stack, 'Flow', { name: 'f', executionRoleArn: 'arn:aws:iam::111111111111:role/Flow' });
    const found = Object.fromEntries(findings(stack, R.NO_CUSTOMER_MANAGED_KEY));
    expect(found['/Checked/Agent']).toMatch(/ Matching controls: checkov CKV_AWS_373\.$/);
    expect(found['/Checked/Flow']).not.toContain('Matching controls');
  });

  test('a key without rotation that protects Bedrock data names the four rotation controls', () => {
    const stack = checkedStack();
    const key = new kms.Key(stack, 'Key');
    new bedrock.CfnAgent(stack, 'Agent', { agentName: 'a', customerEncryptionKeyArn: key.keyArn });
    expect(findings(stack, R.KEY_ROTATION_OFF)).toEqual([['/Checked/Key/Resource', expect.stringMatching(
      / Matching controls: AWS Config CMK_BACKING_KEY_ROTATION_ENABLED, AWS Security Hub KMS\.4, checkov CKV_AWS_7, Prowler kms_cmk_rotation_enabled\.$/)]]);
  });

  test('an unconditioned Bedrock trust names Prowler\'s confused-deputy check; an S3 Vectors bucket on SSE-S3 names none', () => {
    const stack = checkedStack();
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com') });
    new s3vectors.CfnVectorBucket(stack, 'Vectors', { vectorBucketName: 'vectors' });
    expect(findings(stack, R.SERVICE_ROLE_TRUST_UNCONDITIONED)).toEqual([['/Checked/Role/Resource',
      expect.stringMatching(/ Matching controls: Prowler iam_role_cross_service_confused_deputy_prevention\.$/)]]);
    expect(findings(stack, R.S3_VECTORS_SSE_S3)[0][1]).not.toContain('Matching controls');
  });

  test('the table names only rules that exist, and types the rules read', () => {
    for (const [ruleId, byType] of Object.entries(CONTROLS)) {
      expect(R.all()).toContain(ruleId);
      for (const [type, controls] of Object.entries(byType)) {
        if (type !== '*') expect(INSPECTED_TYPES.has(type)).toBe(true);
        expect(controls.length).toBeGreaterThan(0);
      }
    }
  });
});
