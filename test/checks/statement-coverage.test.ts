import { canonical, coverage, isCovered, patternCovers, StatementJson } from '../../src/checks/statement-coverage';

const ACCOUNT = '111111111111';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/agent-role`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/other`;
const FOREIGN_ROLE = 'arn:aws:iam::222222222222:role/agent-role';
const AGENTS = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/*`;
const CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock:arn';
const KEY_ARN = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };

/** What the agent mixin asks for Bedrock: the agent encryption context, on any of the account's agents. */
const SERVICE_NEEDED: StatementJson = {
  Effect: 'Allow',
  Principal: { Service: 'bedrock.amazonaws.com' },
  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
  Resource: '*',
  Condition: { StringLike: { [CONTEXT_KEY]: AGENTS } },
};

/** What the agent mixin asks for the agent's role. */
const ROLE_NEEDED: StatementJson = {
  Effect: 'Allow',
  Principal: { AWS: ROLE },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
};

const allow = (principal: unknown, action: unknown, condition?: unknown): StatementJson =>
  ({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) });
const deny = (principal: unknown, action: unknown, condition?: unknown): StatementJson =>
  ({ ...allow(principal, action, condition), Effect: 'Deny' });
const ROOT_KMS_ALL = allow({ AWS: ROOT }, 'kms:*');

describe('isCovered: the same statement, and wider ones', () => {
  test('the needed statement covers itself', () => {
    expect(isCovered(SERVICE_NEEDED, [SERVICE_NEEDED])).toBe(true);
    expect(isCovered(ROLE_NEEDED, [ROLE_NEEDED])).toBe(true);
  });

  test('nothing covers nothing', () => {
    expect(coverage(SERVICE_NEEDED, [])).toEqual({ covered: false, uncoveredActions: ['kms:generatedatakey', 'kms:decrypt'], deniedActions: [] });
  });

  test.each([
    ['kms:*', 'kms:*'],
    ['*', '*'],
    ['kms:GenerateDataKey* and kms:Decrypt', ['kms:GenerateDataKey*', 'kms:Decrypt']],
    ['kms:Gen* and kms:De*', ['kms:Gen*', 'kms:De*']],
    ['other case', ['KMS:generatedatakey', 'kms:DECRYPT']],
    ['a single string action list', ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt']],
  ])('wildcard and wider actions: %s', (_, action) => {
    expect(isCovered(SERVICE_NEEDED, [allow({ Service: 'bedrock.amazonaws.com' }, action, SERVICE_NEEDED.Condition)])).toBe(true);
  });

  test('a needed wildcard action needs a pattern at least as wide', () => {
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ROLE }, ['kms:GenerateDataKey*', 'kms:Decrypt'])])).toBe(true);
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ROLE }, ['kms:Generate*', 'kms:Decrypt'])])).toBe(true);
    expect(coverage(ROLE_NEEDED, [allow({ AWS: ROLE }, ['kms:GenerateDataKey', 'kms:Decrypt'])]).uncoveredActions).toEqual(['kms:generatedatakey*']);
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ROLE }, ['kms:GenerateDataKey?', 'kms:Decrypt'])])).toBe(false);
  });

  test('actions may be covered by several statements', () => {
    expect(isCovered(SERVICE_NEEDED, [
      allow({ Service: 'bedrock.amazonaws.com' }, 'kms:GenerateDataKey'),
      allow({ Service: ['s3.amazonaws.com', 'bedrock.amazonaws.com'] }, 'kms:Decrypt'),
    ])).toBe(true);
  });

  test('a part of the actions is not enough', () => {
    expect(coverage(SERVICE_NEEDED, [allow({ Service: 'bedrock.amazonaws.com' }, 'kms:Decrypt')]))
      .toEqual({ covered: false, uncoveredActions: ['kms:generatedatakey'], deniedActions: [] });
  });

  test('Principal "*" and {"AWS": "*"} cover every principal', () => {
    expect(isCovered(SERVICE_NEEDED, [allow('*', 'kms:*')])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [allow({ AWS: '*' }, 'kms:*')])).toBe(true);
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ['*'] }, 'kms:*')])).toBe(true);
  });
});

describe('isCovered: principals', () => {
  test('another service principal does not cover', () => {
    expect(isCovered(SERVICE_NEEDED, [allow({ Service: 's3.amazonaws.com' }, 'kms:*')])).toBe(false);
  });

  test('another role does not cover', () => {
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: OTHER_ROLE }, 'kms:*')])).toBe(false);
  });

  test('kms:* for the account root covers a role of the account through the root, never a service principal', () => {
    expect(isCovered(ROLE_NEEDED, [ROOT_KMS_ALL], { throughAccountRoot: true })).toBe(true);
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ACCOUNT }, 'kms:*')], { throughAccountRoot: true })).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [ROOT_KMS_ALL], { throughAccountRoot: true })).toBe(false);
    expect(coverage(SERVICE_NEEDED, [ROOT_KMS_ALL], { throughAccountRoot: true }).uncoveredActions).toEqual(['kms:generatedatakey', 'kms:decrypt']);
  });

  test('the account root covers only through the root, and only roles of its account', () => {
    expect(isCovered(ROLE_NEEDED, [ROOT_KMS_ALL])).toBe(false);
    expect(isCovered({ ...ROLE_NEEDED, Principal: { AWS: FOREIGN_ROLE } }, [ROOT_KMS_ALL], { throughAccountRoot: true })).toBe(false);
    expect(isCovered({ ...ROLE_NEEDED, Principal: { AWS: FOREIGN_ROLE } }, [allow({ AWS: 'arn:aws:iam::222222222222:root' }, 'kms:*')], { throughAccountRoot: true }))
      .toBe(true);
  });

  test('a role named by reference: its account root is given, in the same resolved form', () => {
    const partitionRoot = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
    const byReference = { ...ROLE_NEEDED, Principal: { AWS: { 'Fn::GetAtt': ['AgentRole', 'Arn'] } } };
    expect(isCovered(byReference, [allow({ AWS: { 'Fn::GetAtt': ['AgentRole', 'Arn'] } }, 'kms:*')])).toBe(true);
    expect(isCovered(byReference, [allow({ AWS: partitionRoot }, 'kms:*')], { throughAccountRoot: true })).toBe(false);
    expect(isCovered(byReference, [allow({ AWS: partitionRoot }, 'kms:*')], { throughAccountRoot: true, accountRoots: [partitionRoot] })).toBe(true);
  });

  test('an ARN written with intrinsics: its account root is read from it', () => {
    const joined = (tail: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, tail]] });
    const needed = { ...ROLE_NEEDED, Principal: { AWS: joined(':role/agent-role') } };
    expect(isCovered(needed, [allow({ AWS: joined(':root') }, 'kms:*')], { throughAccountRoot: true })).toBe(true);
    expect(isCovered(needed, [allow({ AWS: { Ref: 'AWS::AccountId' } }, 'kms:*')], { throughAccountRoot: true })).toBe(true);
  });

  test('NotPrincipal, NotAction and NotResource statements never cover', () => {
    expect(isCovered(SERVICE_NEEDED, [{ Effect: 'Allow', NotPrincipal: { AWS: OTHER_ROLE }, Action: 'kms:*', Resource: '*' }])).toBe(false);
    expect(isCovered(SERVICE_NEEDED, [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }])).toBe(false);
    expect(isCovered(SERVICE_NEEDED, [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'kms:*', NotResource: 'arn:aws:kms:*:*:key/other' }])).toBe(false);
  });
});

describe('isCovered: conditions', () => {
  const service = (condition?: unknown) => allow({ Service: 'bedrock.amazonaws.com' }, ['kms:GenerateDataKey', 'kms:Decrypt'], condition);

  test('no condition covers any needed condition', () => {
    expect(isCovered(SERVICE_NEEDED, [service()])).toBe(true);
  });

  test('a condition the needed statement lacks is stricter', () => {
    expect(isCovered(SERVICE_NEEDED, [service({ ...SERVICE_NEEDED.Condition, StringEquals: { 'aws:SourceAccount': ACCOUNT } })])).toBe(false);
    expect(isCovered(ROLE_NEEDED, [allow({ AWS: ROLE }, 'kms:*', { StringEquals: { 'kms:ViaService': 'bedrock.us-east-1.amazonaws.com' } })])).toBe(false);
  });

  test('a narrower value is stricter: one agent instead of every agent', () => {
    expect(isCovered(SERVICE_NEEDED, [service({ StringEquals: { [CONTEXT_KEY]: `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT12345` } })])).toBe(false);
    expect(isCovered(SERVICE_NEEDED, [service({ StringLike: { [CONTEXT_KEY]: `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/A*` } })])).toBe(false);
  });

  test('a wider value covers: a wider pattern, more values, condition keys in another case', () => {
    expect(isCovered(SERVICE_NEEDED, [service({ StringLike: { [CONTEXT_KEY]: 'arn:aws:bedrock:*' } })])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [service({ StringLike: { [CONTEXT_KEY.toUpperCase()]: [AGENTS, 'arn:aws:bedrock:*:*:flow/*'] } })])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [service({ ArnLike: { [CONTEXT_KEY]: AGENTS } })])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [service({ StringLikeIfExists: { [CONTEXT_KEY]: AGENTS } })])).toBe(true);
  });

  test('an exact value: StringEquals covers the same exact value, and a pattern covers it', () => {
    const exact = { ...SERVICE_NEEDED, Condition: { StringEquals: { 'kms:ViaService': 'bedrock.us-east-1.amazonaws.com' } } };
    expect(isCovered(exact, [service({ StringEquals: { 'kms:ViaService': 'bedrock.us-east-1.amazonaws.com' } })])).toBe(true);
    expect(isCovered(exact, [service({ StringLike: { 'kms:ViaService': 'bedrock.*.amazonaws.com' } })])).toBe(true);
    expect(isCovered(exact, [service({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })])).toBe(false);
    // An exact value does not cover a needed pattern.
    expect(isCovered(SERVICE_NEEDED, [service({ StringEquals: { [CONTEXT_KEY]: AGENTS } })])).toBe(false);
  });

  test('the same operator and value, in resolved form with intrinsics', () => {
    const pattern = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':agent/*']] };
    const needed = { ...SERVICE_NEEDED, Condition: { StringLike: { [CONTEXT_KEY]: pattern } } };
    expect(isCovered(needed, [service({ StringLike: { [CONTEXT_KEY]: pattern } })])).toBe(true);
    expect(isCovered(needed, [service({ StringLike: { [CONTEXT_KEY]: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*']] } } })])).toBe(true);
    expect(isCovered(needed, [service({ StringLike: { [CONTEXT_KEY]: AGENTS } })])).toBe(false);
  });

  test('Bool compares values, "true" and true alike', () => {
    const grants = { ...SERVICE_NEEDED, Action: ['kms:CreateGrant'], Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } };
    expect(isCovered(grants, [service({ Bool: { 'kms:GrantIsForAWSResource': true } })].map((s) => ({ ...s, Action: 'kms:*' })))).toBe(true);
    expect(isCovered(grants, [service({ Bool: { 'kms:GrantIsForAWSResource': 'false' } })].map((s) => ({ ...s, Action: 'kms:*' })))).toBe(false);
  });

  test('a needed ...IfExists condition is not covered by the one without', () => {
    const ifExists = { ...SERVICE_NEEDED, Condition: { StringLikeIfExists: { [CONTEXT_KEY]: AGENTS } } };
    expect(isCovered(ifExists, [service(SERVICE_NEEDED.Condition)])).toBe(false);
  });
});

describe('isCovered: Deny', () => {
  test('a Deny never covers', () => {
    expect(isCovered(SERVICE_NEEDED, [deny({ Service: 'bedrock.amazonaws.com' }, 'kms:*')])).toBe(false);
  });

  test('an unconditioned Deny that matches makes an allowed action uncovered', () => {
    const result = coverage(SERVICE_NEEDED, [allow('*', 'kms:*'), deny({ Service: 'bedrock.amazonaws.com' }, 'kms:Decrypt')]);
    expect(result).toEqual({ covered: false, uncoveredActions: ['kms:decrypt'], deniedActions: ['kms:decrypt'] });
    expect(coverage(ROLE_NEEDED, [ROOT_KMS_ALL, deny({ AWS: ROOT }, 'kms:GenerateDataKeyPair')], { throughAccountRoot: true }).deniedActions)
      .toEqual(['kms:generatedatakey*']);
    expect(isCovered(SERVICE_NEEDED, [allow('*', 'kms:*'), deny('*', 'kms:*')])).toBe(false);
  });

  test('a Deny for another principal or other actions, or with a condition, does not count', () => {
    const allowed = allow({ Service: 'bedrock.amazonaws.com' }, 'kms:*');
    expect(isCovered(SERVICE_NEEDED, [allowed, deny({ Service: 's3.amazonaws.com' }, 'kms:*')])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [allowed, deny({ Service: 'bedrock.amazonaws.com' }, 'kms:ScheduleKeyDeletion')])).toBe(true);
    expect(isCovered(SERVICE_NEEDED, [allowed, deny({ Service: 'bedrock.amazonaws.com' }, 'kms:*', { Bool: { 'aws:SecureTransport': 'false' } })])).toBe(true);
  });
});

describe('isCovered: identity statements (keyArns given)', () => {
  const { Principal: _p, ...needed } = ROLE_NEEDED;
  const identity = (resource: unknown, action: unknown = ['kms:GenerateDataKey*', 'kms:Decrypt'], condition?: unknown): StatementJson =>
    ({ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) });

  test('on the key, or on every resource, covers', () => {
    expect(isCovered(needed, [identity(KEY_ARN)], { keyArns: [KEY_ARN] })).toBe(true);
    expect(isCovered(needed, [identity('*')], { keyArns: [KEY_ARN] })).toBe(true);
    expect(isCovered(needed, [identity(['arn:aws:s3:::bucket', KEY_ARN])], { keyArns: [KEY_ARN] })).toBe(true);
    expect(isCovered(needed, [identity('arn:aws:kms:us-east-1:111111111111:key/*')], { keyArns: ['arn:aws:kms:us-east-1:111111111111:key/${KeyId}'] })).toBe(true);
  });

  test('on another key, with a stricter condition, or denied: not covered', () => {
    expect(isCovered(needed, [identity({ 'Fn::GetAtt': ['OtherKey', 'Arn'] })], { keyArns: [KEY_ARN] })).toBe(false);
    expect(isCovered(needed, [identity(KEY_ARN, 'kms:*', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })], { keyArns: [KEY_ARN] })).toBe(false);
    expect(isCovered(needed, [identity(KEY_ARN), { Effect: 'Deny', Action: 'kms:*', Resource: '*' }], { keyArns: [KEY_ARN] })).toBe(false);
  });
});

describe('helpers', () => {
  test('canonical renders intrinsics comparably', () => {
    expect(canonical('a')).toBe('a');
    expect(canonical({ Ref: 'AWS::Partition' })).toBe('${AWS::Partition}');
    expect(canonical({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('${Role.Arn}');
    expect(canonical({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::1:root']] })).toBe('arn:${AWS::Partition}:iam::1:root');
    expect(canonical({ 'Fn::ImportValue': 'X', 'b': 1 })).toBe(canonical({ 'b': 1, 'Fn::ImportValue': 'X' }));
  });

  test.each([
    ['kms:*', 'kms:decrypt', true],
    ['kms:generatedatakey*', 'kms:generatedatakey*', true],
    ['kms:generatedatakey*', 'kms:generatedatakeypair', true],
    ['kms:generatedatakey', 'kms:generatedatakey*', false],
    ['kms:generatedatakey?', 'kms:generatedatakey*', false],
    ['arn:aws:bedrock:*:*:agent/*', 'arn:aws:bedrock:us-east-1:111111111111:agent/*', true],
    ['arn:aws:bedrock:*:*:agent/a*', 'arn:aws:bedrock:us-east-1:111111111111:agent/*', false],
    ['a.b', 'axb', false],
  ])('patternCovers(%p, %p) is %p', (pattern, value, expected) => {
    expect(patternCovers(pattern, value)).toBe(expected);
  });
});
