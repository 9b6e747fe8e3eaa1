import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockResourceType, FlowEncryptionStatements, KeyAdministrationStatements } from '../../src/policy';
import { ACCOUNT, FLOW_ARN, KEY_ARN, REGION, ROLE_ARN, SEED_002 } from '../fixtures/seed-statements';
import { normalize, policyDocument, rendered, SCOPE } from '../util/statements';
import { evaluatePolicies } from '../util/synthesized-policies';

const FLOW_CONTEXT = 'kms:EncryptionContext:aws:bedrock-flows:arn';
const VIA_BEDROCK = `bedrock.${REGION}.amazonaws.com`;

describe('seed 002 statements, field by field', () => {
  test('flowsApiIdentity is both the Flows API caller and the execution role statement', () => {
    const statements = rendered(FlowEncryptionStatements.flowsApiIdentity(SCOPE, KEY_ARN, FLOW_ARN));
    expect(statements).toEqual([normalize(SEED_002.callerIdentity)]);
    expect(statements).toEqual([normalize(SEED_002.executionRoleIdentity)]);
  });

  test('roleKeyUse with one flow ARN is the key policy statement (Resource "*" = this key)', () => {
    expect(rendered(FlowEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN), FLOW_ARN)))
      .toEqual([normalize({ ...SEED_002.roleKeyPolicy, Resource: '*' })]);
  });

  test('roleKeyUse with the account pattern: StringLike context, StringEquals ViaService', () => {
    const pattern = BedrockResourceType.FLOW.arnPattern(SCOPE);
    expect(rendered(FlowEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN), pattern))[0].Condition).toEqual({
      StringLike: { [FLOW_CONTEXT]: `arn:aws:bedrock:${REGION}:${ACCOUNT}:flow/*` },
      StringEquals: { 'kms:ViaService': VIA_BEDROCK },
    });
  });

  test('the root statement matches seed 002 too', () => {
    expect(rendered(KeyAdministrationStatements.accountRootKeyUse(SCOPE))).toEqual([normalize({ ...SEED_002.rootAdmin, Resource: '*' })]);
  });
});

describe('evaluated', () => {
  const keyPolicy = policyDocument(
    ...KeyAdministrationStatements.accountRootKeyUse(SCOPE),
    ...FlowEncryptionStatements.roleKeyUse(SCOPE, new iam.ArnPrincipal(ROLE_ARN), BedrockResourceType.FLOW.arnPattern(SCOPE)),
  );

  const decide = (principal: string, identity: any[], context: Record<string, string>) => evaluatePolicies({
    principal, action: 'kms:GenerateDataKey', resource: KEY_ARN, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy, identityPolicies: identity, context,
  });
  const good = { [FLOW_CONTEXT]: FLOW_ARN, 'kms:ViaService': VIA_BEDROCK };

  test('the role named in the key policy: this account\'s flows through Bedrock only', () => {
    expect(decide(ROLE_ARN, [], good)).toBe('Allowed');
    expect(decide(ROLE_ARN, [], { ...good, 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(decide(ROLE_ARN, [], { ...good, [FLOW_CONTEXT]: `arn:aws:bedrock:${REGION}:222222222222:flow/FLOW123456` })).toBe('ImplicitlyDenied');
  });

  test('a caller with the identity statement: this flow only, through Bedrock only', () => {
    const caller = `arn:aws:iam::${ACCOUNT}:role/Caller`;
    const identity = [policyDocument(...FlowEncryptionStatements.flowsApiIdentity(SCOPE, KEY_ARN, FLOW_ARN))];
    expect(decide(caller, identity, good)).toBe('Allowed');
    expect(decide(caller, identity, { ...good, [FLOW_CONTEXT]: `arn:aws:bedrock:${REGION}:${ACCOUNT}:flow/OTHERFLOW1` })).toBe('ImplicitlyDenied');
    expect(decide(caller, identity, { ...good, 'kms:ViaService': `s3.${REGION}.amazonaws.com` })).toBe('ImplicitlyDenied');
    expect(decide(caller, [], good)).toBe('ImplicitlyDenied');
  });
});
