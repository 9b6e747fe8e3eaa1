import { BedrockResourceType, PromptEncryptionStatements } from '../../src/policy';
import { ACCOUNT, KEY_ARN, REGION } from '../fixtures/seed-statements';
import { decideAsRole, normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies, OTHER_ACCOUNT } from '../util/synthesized-policies';

const PROMPT_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:prompt/PROMPT1234`;
const PROMPT_CONTEXT = 'kms:EncryptionContext:aws:bedrock-prompts:arn';

/**
 * AWS JSON from https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-management-prereq.html,
 * placeholders filled in (partition aws). AWS's Sid "EncryptFlowKMS" is the page's own.
 */
const AWS = {
  keyPolicy: {
    Sid: 'EncryptFlowKMS',
    Effect: 'Allow',
    Principal: { Service: 'bedrock.amazonaws.com' },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: { StringEquals: { [PROMPT_CONTEXT]: PROMPT_ARN } },
  },
  roleIdentity: {
    Sid: 'KMSPermissions',
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: [KEY_ARN],
    Condition: { StringEquals: { 'aws:ResourceAccount': ACCOUNT } },
  },
};

describe('prompt management page statements, field by field', () => {
  test('bedrockServiceKeyUse with one prompt ARN', () => {
    expect(rendered(PromptEncryptionStatements.bedrockServiceKeyUse(PROMPT_ARN))).toEqual([normalize(AWS.keyPolicy)]);
  });
  test('bedrockServiceKeyUse with the account pattern uses StringLike', () => {
    const pattern = BedrockResourceType.of('prompt').arnPattern(SCOPE);
    expect(rendered(PromptEncryptionStatements.bedrockServiceKeyUse(pattern))).toEqual([normalize({
      ...AWS.keyPolicy, Condition: { StringLike: { [PROMPT_CONTEXT]: `arn:aws:bedrock:${REGION}:${ACCOUNT}:prompt/*` } },
    })]);
  });
  test('roleIdentity', () => {
    expect(rendered(PromptEncryptionStatements.roleIdentity(SCOPE, KEY_ARN))).toEqual([normalize(AWS.roleIdentity)]);
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(...PromptEncryptionStatements.bedrockServiceKeyUse(BedrockResourceType.of('prompt').arnPattern(SCOPE)));
  const bedrock = (context: Record<string, string>) => evaluatePolicies({
    principal: 'bedrock.amazonaws.com', action: 'kms:GenerateDataKey', resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, context,
  });

  test.each([
    ['a prompt of this account', PROMPT_ARN, 'Allowed'],
    ['a prompt of another account', `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:prompt/PROMPT1234`, 'ImplicitlyDenied'],
    ['a flow of this account', `arn:aws:bedrock:${REGION}:${ACCOUNT}:flow/PROMPT1234`, 'ImplicitlyDenied'],
  ])('Bedrock encrypts for %s: %s', (_, arn, decision) => {
    expect(bedrock({ [PROMPT_CONTEXT]: arn })).toBe(decision);
  });

  test('Bedrock without the prompt context is denied', () => {
    expect(bedrock({})).toBe('ImplicitlyDenied');
  });

  test('the prompt role: a key of its own account only', () => {
    const statements = PromptEncryptionStatements.roleIdentity(SCOPE, KEY_ARN);
    expect(decideAsRole(statements, 'kms:Decrypt', { 'aws:ResourceAccount': ACCOUNT })).toBe('Allowed');
    expect(decideAsRole(statements, 'kms:Decrypt', { 'aws:ResourceAccount': OTHER_ACCOUNT })).toBe('ImplicitlyDenied');
    expect(decideAsRole(statements, 'kms:Encrypt', { 'aws:ResourceAccount': ACCOUNT })).toBe('ImplicitlyDenied');
  });
});
