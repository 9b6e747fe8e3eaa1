import * as iam from 'aws-cdk-lib/aws-iam';
import { GuardrailEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

/**
 * AWS JSON from https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html,
 * placeholders filled in. AWS writes the role as `user/role`; the test uses a role ARN.
 */
const AWS = {
  creatorsKeyPolicy: {
    Sid: 'PermissionsForGuardrailsCreators',
    Effect: 'Allow',
    Principal: { AWS: ROLE_ARN },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
    Resource: '*',
  },
  usersKeyPolicy: {
    Sid: 'PermissionsForGuardrailsUsers',
    Effect: 'Allow',
    Principal: { AWS: ROLE_ARN },
    Action: 'kms:Decrypt',
    Resource: '*',
  },
  creatorIdentity: {
    Sid: 'AllowRoleToCreateAndManageGuardrails',
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:CreateGrant'],
    Resource: KEY_ARN,
  },
  userIdentity: {
    Sid: 'AllowRoleToUseEncryptedGuardrailDuringInference',
    Effect: 'Allow',
    Action: ['kms:Decrypt'],
    Resource: KEY_ARN,
  },
};

const GUARDRAIL_CONTEXT = 'kms:EncryptionContext:aws:bedrock:guardrail-id';
const VIA_BEDROCK = `bedrock.${REGION}.amazonaws.com`;
/** The conditions this library adds; the AWS page has none. */
const CREATOR_CONDITION = { StringEquals: { 'kms:ViaService': VIA_BEDROCK } };
const GRANT_CONDITION = { ...CREATOR_CONDITION, Bool: { 'kms:GrantIsForAWSResource': 'true' } };
/** The AWS creator statement as the library writes it: CreateGrant apart, for AWS resources only. */
const creatorAsWritten = (aws: any) => {
  const actions = [aws.Action].flat();
  return [
    normalize({ ...aws, Action: actions.filter((a: string) => a !== 'kms:CreateGrant'), Condition: CREATOR_CONDITION }),
    normalize({ ...aws, Action: ['kms:CreateGrant'], Condition: GRANT_CONDITION }),
  ];
};
/** As the AWS managed policy SageMakerStudioBedrockFlowServiceRolePolicy, with this region. */
const USER_CONDITION = { StringEquals: { 'kms:ViaService': VIA_BEDROCK }, Null: { [GUARDRAIL_CONTEXT]: 'false' } };

const role = new iam.ArnPrincipal(ROLE_ARN);
const withCondition = (aws: any, condition: any) => normalize({ ...aws, Condition: condition });

describe('guardrails page statements, field by field, plus the added conditions', () => {
  test('creatorKeyUse', () => {
    expect(rendered(GuardrailEncryptionStatements.creatorKeyUse(SCOPE, role))).toEqual(creatorAsWritten(AWS.creatorsKeyPolicy));
  });
  test('creatorIdentity', () => {
    expect(rendered(GuardrailEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN))).toEqual(creatorAsWritten(AWS.creatorIdentity));
  });
  test('userKeyUse', () => {
    expect(rendered(GuardrailEncryptionStatements.userKeyUse(SCOPE, role))).toEqual([withCondition(AWS.usersKeyPolicy, USER_CONDITION)]);
  });
  test('userIdentity', () => {
    expect(rendered(GuardrailEncryptionStatements.userIdentity(SCOPE, KEY_ARN))).toEqual([withCondition(AWS.userIdentity, USER_CONDITION)]);
  });
  test('without the added conditions, and CreateGrant put back, each statement is exactly the AWS one', () => {
    const strip = ({ Condition, ...rest }: any) => rest;
    const [uses, grant] = rendered(GuardrailEncryptionStatements.creatorKeyUse(SCOPE, role)).map(strip);
    expect({ ...uses, Action: [...uses.Action, ...grant.Action].sort() }).toEqual(normalize(AWS.creatorsKeyPolicy));
    expect(rendered(GuardrailEncryptionStatements.userIdentity(SCOPE, KEY_ARN)).map(strip)).toEqual([normalize(AWS.userIdentity)]);
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(
    ...GuardrailEncryptionStatements.creatorKeyUse(SCOPE, role),
    ...GuardrailEncryptionStatements.userKeyUse(SCOPE, new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/User`)),
  );
  const decide = (principal: string, action: string, context: Record<string, string>) => evaluatePolicies({
    principal, action, resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test.each([
    ['kms:GenerateDataKey', 'Allowed'],
    ['kms:CreateGrant', 'Allowed'],
    ['kms:DescribeKey', 'Allowed'],
    ['kms:Encrypt', 'ImplicitlyDenied'],
  ])('the creator through Bedrock: %s %s', (action, decision) => {
    expect(decide(ROLE_ARN, action, { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'true' })).toBe(decision);
  });

  test('the creator\'s grant must be for an AWS resource: Bedrock, not a grant for another principal', () => {
    expect(decide(ROLE_ARN, 'kms:CreateGrant', { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'true' })).toBe('Allowed');
    expect(decide(ROLE_ARN, 'kms:CreateGrant', { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
  });

  test('a user may not create grants or data keys: users are not creators', () => {
    const user = `arn:aws:iam::${ACCOUNT}:role/User`;
    expect(decide(user, 'kms:CreateGrant', { 'kms:ViaService': VIA_BEDROCK, 'kms:GrantIsForAWSResource': 'true' })).toBe('ImplicitlyDenied');
    expect(decide(user, 'kms:DescribeKey', { 'kms:ViaService': VIA_BEDROCK })).toBe('ImplicitlyDenied');
  });

  test('the creator outside Bedrock, or a role of another account, is denied', () => {
    expect(decide(ROLE_ARN, 'kms:Decrypt', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(decide(ROLE_ARN, 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
    expect(decide(`arn:aws:iam::${OTHER_ACCOUNT}:role/ServiceRole`, 'kms:Decrypt', { 'kms:ViaService': VIA_BEDROCK })).toBe('ImplicitlyDenied');
  });

  test('the user decrypts a guardrail through Bedrock, and nothing else', () => {
    const user = `arn:aws:iam::${ACCOUNT}:role/User`;
    const ok = { 'kms:ViaService': VIA_BEDROCK, [GUARDRAIL_CONTEXT]: 'abcd1234efgh' };
    expect(decide(user, 'kms:Decrypt', ok)).toBe('Allowed');
    expect(decide(user, 'kms:Decrypt', { 'kms:ViaService': VIA_BEDROCK })).toBe('ImplicitlyDenied');
    expect(decide(user, 'kms:GenerateDataKey', ok)).toBe('ImplicitlyDenied');
  });
});
