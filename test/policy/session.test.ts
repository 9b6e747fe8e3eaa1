import * as iam from 'aws-cdk-lib/aws-iam';
import { SessionEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION, ROLE_ARN } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

const SESSION_CONTEXT = 'kms:EncryptionContext:aws:bedrock:session:arn';
const VIA_BEDROCK = `bedrock.${REGION}.amazonaws.com`;

/** AWS JSON from https://docs.aws.amazon.com/bedrock/latest/userguide/sessions-encryption.html, placeholders filled in. */
const AWS = [
  {
    Effect: 'Allow',
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: KEY_ARN,
    Condition: {
      StringLike: { [SESSION_CONTEXT]: `arn:aws:bedrock:${REGION}:${ACCOUNT}:session/*` },
      StringEquals: { 'kms:ViaService': VIA_BEDROCK },
    },
  },
  {
    Effect: 'Allow',
    Action: ['kms:DescribeKey'],
    Resource: KEY_ARN,
    Condition: { StringEquals: { 'kms:ViaService': VIA_BEDROCK } },
  },
];

describe('sessions page statements, field by field', () => {
  test('creatorIdentity is the IAM policy', () => {
    expect(rendered(SessionEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN))).toEqual(AWS.map(normalize));
  });
  test('creatorKeyUse is the same with the principal named and Resource "*"', () => {
    expect(rendered(SessionEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN))))
      .toEqual(AWS.map((s) => normalize({ ...s, Principal: { AWS: ROLE_ARN }, Resource: '*' })));
  });
});

describe('evaluated', () => {
  const session = `arn:aws:bedrock:${REGION}:${ACCOUNT}:session/12345678-1234-1234-1234-123456789012`;
  const ok = { [SESSION_CONTEXT]: session, 'kms:ViaService': VIA_BEDROCK };

  test('the creator (identity policy): this account\'s sessions through Bedrock only', () => {
    const statements = SessionEncryptionStatements.creatorIdentity(SCOPE, KEY_ARN);
    expect(decideAsRole(statements, 'kms:Encrypt', ok)).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:DescribeKey', { 'kms:ViaService': VIA_BEDROCK })).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:Decrypt', { ...ok, [SESSION_CONTEXT]: `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:session/x` })).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:Decrypt', { ...ok, 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
  });

  test('the creator named in the key policy, without any identity policy', () => {
    const keyPolicy = policyDocument(...SessionEncryptionStatements.creatorKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN)));
    const decide = (principal: string, context: Record<string, string>) => evaluatePolicies({
      principal, action: 'kms:GenerateDataKey', resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
    });
    expect(decide(ROLE_ARN, ok)).toBe('Allowed');
    expect(decide(ROLE_ARN, { 'kms:ViaService': VIA_BEDROCK })).toBe('ImplicitlyDenied');
    expect(decide(`arn:aws:iam::${OTHER_ACCOUNT}:role/ServiceRole`, ok)).toBe('ImplicitlyDenied');
  });
});
