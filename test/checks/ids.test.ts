import { BedrockEncryptionRules } from '../../src/checks';
import { BedrockEncryptionWarnings } from '../../src/wiring/warnings';

/** Every id a user acknowledges or suppresses, rule or warning, has one form. */
const warningIds = Object.values(BedrockEncryptionWarnings).filter((v): v is string => typeof v === 'string');

test.each([...BedrockEncryptionRules.all(), ...warningIds])('%s has the form cdk-bedrock-encryption:<camelCase name>', (id) => {
  expect(id).toMatch(/^cdk-bedrock-encryption:[a-z][A-Za-z0-9]+$/);
});

test('rule and warning ids are distinct and all read', () => {
  const ids = [...BedrockEncryptionRules.all(), ...warningIds];
  expect(BedrockEncryptionRules.all()).toHaveLength(7);
  expect(warningIds.length).toBeGreaterThan(10);
  expect(new Set(ids).size).toBe(ids.length);
});
