import { Template } from 'aws-cdk-lib/assertions';
import * as src from '../src';
import { testStack } from './util/synthesized-policies';
test('counts', () => {
  const cases: Record<string, (s: any) => void> = {
    EncryptedAgent: (s) => new src.EncryptedAgent(s, 'X', { agentName: 'a', foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0', instruction: 'x'.repeat(40) }),
    EncryptedAgentAlias: (s) => new src.EncryptedAgent(s, 'X', { agentName: 'a', foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0', instruction: 'x'.repeat(40), aliasName: 'live' }),
    EncryptedKnowledgeBase: (s) => new src.EncryptedKnowledgeBase(s, 'X', { embeddingModel: 'amazon.titan-embed-text-v2:0' }),
  };
  for (const [n, f] of Object.entries(cases)) {
    const s = testStack(); f(s);
    const r = Template.fromStack(s).toJSON().Resources;
    console.log(n, Object.keys(r).length, Object.values<any>(r).map((x) => x.Type).join(','));
  }
});
