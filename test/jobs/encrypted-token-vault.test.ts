import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptedTokenVault } from '../../src/jobs';
import { BedrockEncryptionError } from '../../src/private/validation';
import { SynthesizedPolicies, TEST_ACCOUNT, TEST_REGION, testStack } from '../util/synthesized-policies';

const CONTEXT = 'kms:EncryptionContext:aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn';
const VAULT = `arn:aws:bedrock-agentcore:${TEST_REGION}:${TEST_ACCOUNT}:token-vault/default`;
const VIA = `bedrock-agentcore-identity.${TEST_REGION}.amazonaws.com`;

function build() {
  const stack = testStack();
  const vault = new EncryptedTokenVault(stack, 'TokenVault');
  const user = new iam.Role(stack, 'User', { assumedBy: new iam.AccountRootPrincipal() });
  const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
  vault.grantUse(user);
  const p = SynthesizedPolicies.of(stack);
  const arnOf = (role: iam.Role) => `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(role)}`;
  return { stack, vault, p, user: arnOf(user), other: arnOf(other) };
}

describe('EncryptedTokenVault', () => {
  test('the key-policy statements of the page, for this account\'s token vault', () => {
    const { p } = build();
    const statements = p.keyPolicyStatements().filter((s: any) => JSON.stringify(s).includes('bedrock-agentcore-identity'));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': VIA, 'aws:ResourceAccount': '${aws:PrincipalAccount}' }, ArnLike: { [CONTEXT]: VAULT } },
      },
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': VIA, 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
      },
    ]);
  });

  test('a user encrypts and decrypts through the identity service in the vault\'s context, and not outside it', () => {
    const { p, user } = build();
    const inContext = { 'kms:ViaService': VIA, [CONTEXT]: VAULT, 'aws:PrincipalAccount': TEST_ACCOUNT, 'aws:ResourceAccount': TEST_ACCOUNT };
    expect(p.evaluate({ principal: user, action: 'kms:Decrypt', context: inContext })).toBe('Allowed');
    expect(p.evaluate({ principal: user, action: 'kms:Encrypt', context: inContext })).toBe('Allowed');
    expect(p.evaluate({ principal: user, action: 'kms:Decrypt', context: { 'kms:ViaService': VIA, [CONTEXT]: VAULT.replace('default', 'other') } }))
      .toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: user, action: 'kms:Decrypt', context: { ...inContext, 'aws:ResourceAccount': '222222222222' } })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: user, action: 'kms:Decrypt', context: { [CONTEXT]: VAULT } })).toBe('ImplicitlyDenied');
    expect(p.evaluate({ principal: user, action: 'kms:Decrypt', context: { 'kms:ViaService': `bedrock-agentcore.${TEST_REGION}.amazonaws.com`, [CONTEXT]: VAULT } }))
      .toBe('ImplicitlyDenied');
  });

  test('a principal not granted does not use the key', () => {
    const { p, other } = build();
    expect(p.evaluate({ principal: other, action: 'kms:Decrypt', context: { 'kms:ViaService': VIA, [CONTEXT]: VAULT } })).toBe('ImplicitlyDenied');
  });

  test('the SetTokenVaultCMK request, and the grant to send it', () => {
    const stack = testStack();
    const vault = new EncryptedTokenVault(stack, 'TokenVault');
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    vault.grantSetTokenVaultCmk(admin);
    const p = SynthesizedPolicies.of(stack);
    expect(Stack.of(vault).resolve(vault.setTokenVaultCmkParameters())).toEqual({
      tokenVaultId: 'default',
      kmsConfiguration: { keyType: 'CustomerManagedKey', kmsKeyArn: { 'Fn::GetAtt': [p.logicalId(vault.encryptionKey), 'Arn'] } },
    });
    const adminArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${p.logicalId(admin)}`;
    expect(p.evaluateIdentity({ principal: adminArn, action: 'bedrock-agentcore:SetTokenVaultCMK', resource: VAULT })).toBe('Allowed');
    expect(p.evaluateIdentity({ principal: adminArn, action: 'bedrock-agentcore:SetTokenVaultCMK', resource: VAULT.replace('default', 'other') }))
      .toBe('ImplicitlyDenied');
    expect(vault.tokenVaultArn).toBe(`arn:\${Token[AWS.Partition.${(vault.tokenVaultArn.match(/AWS\.Partition\.(\d+)/) ?? [])[1]}]}:bedrock-agentcore:${TEST_REGION}:${TEST_ACCOUNT}:token-vault/default`);
  });

  test('an imported key: the statements are the KeyPolicyToAdd output', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    new EncryptedTokenVault(stack, 'TokenVault', { encryptionKey: key });
    const outputs = Object.entries(SynthesizedPolicies.of(stack).template.Outputs ?? {}).filter(([id]) => id.includes('KeyPolicyToAdd'));
    expect(outputs).toHaveLength(1);
    expect(JSON.stringify(stack.resolve((outputs[0][1] as any).Value))).toContain('bedrock-agentcore-identity');
  });

  test('a malformed token vault id: a clear error', () => {
    const stack = testStack();
    expect(() => new EncryptedTokenVault(stack, 'TokenVault', { tokenVaultId: 'no spaces' }))
      .toThrow(BedrockEncryptionError);
    expect(() => new EncryptedTokenVault(stack, 'TokenVault2', { tokenVaultId: 'no spaces' })).toThrow(/tokenVaultId must be 1 to 64 letters/);
  });
});
