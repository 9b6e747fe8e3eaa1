import { Lazy } from 'aws-cdk-lib';
import { invokeModelStatements, parseModel } from '../../src/private/model-arns';
import { ACCOUNT, REGION } from '../fixtures/seed-statements';
import { rendered, SCOPE } from '../util/statements';

const MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const MODEL_ARN = `arn:aws:bedrock:${REGION}::foundation-model/${MODEL_ID}`;
const PROFILE_ARN = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.${MODEL_ID}`;
const INVOKE = ['bedrock:invokemodel', 'bedrock:invokemodelwithresponsestream'];

describe('parseModel', () => {
  test.each([
    ['a model id', MODEL_ID],
    ['a model id without version', 'anthropic.claude-opus-4-7'],
    ['a model id with a context-window variant', 'anthropic.claude-3-sonnet-20240229-v1:0:28k'],
    ['a foundation-model ARN', MODEL_ARN],
  ])('%s is a foundation model in its region', (_, value) => {
    const model = parseModel(SCOPE, value);
    expect(model?.kind).toBe('foundation-model');
  });

  test('a model id becomes the foundation-model ARN of the scope', () => {
    expect(parseModel(SCOPE, MODEL_ID)).toEqual({ kind: 'foundation-model', modelArn: MODEL_ARN });
  });

  test('a foundation-model ARN is kept as given, other region and partition included', () => {
    const arn = `arn:aws-cn:bedrock:cn-north-1::foundation-model/${MODEL_ID}`;
    expect(parseModel(SCOPE, arn)).toEqual({ kind: 'foundation-model', modelArn: arn });
  });

  test.each(['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'])('a %s. profile id is an inference profile of the scope', (prefix) => {
    expect(parseModel(SCOPE, `${prefix}.${MODEL_ID}`)).toEqual({
      kind: 'inference-profile',
      profileArn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${prefix}.${MODEL_ID}`,
      modelArns: `arn:aws:bedrock:*::foundation-model/${MODEL_ID}`,
    });
  });

  test('an inference-profile ARN keeps its ARN and routes to its model in any region', () => {
    expect(parseModel(SCOPE, PROFILE_ARN)).toEqual({
      kind: 'inference-profile', profileArn: PROFILE_ARN, modelArns: `arn:aws:bedrock:*::foundation-model/${MODEL_ID}`,
    });
  });

  test.each([
    ['an empty string', ''],
    ['a bare name', 'claude'],
    ['an application inference profile', `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/abcdef123456`],
    ['a provisioned model', `arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/abcdef123456`],
    ['a profile id with an unknown prefix', `xx.${MODEL_ID}`],
    ['a foundation-model ARN with an account', `arn:aws:bedrock:${REGION}:${ACCOUNT}:foundation-model/${MODEL_ID}`],
    ['an S3 ARN', 'arn:aws:s3:::bucket/key'],
  ])('%s is rejected', (_, value) => {
    expect(parseModel(SCOPE, value)).toBeUndefined();
  });

  test('a profile ARN with a prefix newer than the list is accepted', () => {
    const arn = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/xx.${MODEL_ID}`;
    expect(parseModel(SCOPE, arn)).toEqual({
      kind: 'inference-profile', profileArn: arn, modelArns: `arn:aws:bedrock:*::foundation-model/${MODEL_ID}`,
    });
  });

  test('a token is not parsed', () => {
    const token = Lazy.string({ produce: () => MODEL_ARN });
    expect(parseModel(SCOPE, token)).toEqual({ kind: 'unresolved', value: token });
  });
});

describe('invokeModelStatements', () => {
  test('a foundation model: the invoke actions on its ARN only', () => {
    expect(rendered(invokeModelStatements(SCOPE, [MODEL_ID]))).toEqual([
      { Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] },
    ]);
  });

  test('an inference profile: the profile, then its model in any region only through the profile', () => {
    expect(rendered(invokeModelStatements(SCOPE, [`us.${MODEL_ID}`]))).toEqual([
      { Effect: 'Allow', Action: ['bedrock:getinferenceprofile', ...INVOKE], Resource: [PROFILE_ARN] },
      {
        Effect: 'Allow',
        Action: INVOKE,
        Resource: [`arn:aws:bedrock:*::foundation-model/${MODEL_ID}`],
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': PROFILE_ARN } },
      },
    ]);
  });

  test('a token: granted as given', () => {
    const token = Lazy.string({ produce: () => MODEL_ARN });
    expect(rendered(invokeModelStatements(SCOPE, [token]))).toEqual([
      { Effect: 'Allow', Action: INVOKE, Resource: [MODEL_ARN] },
    ]);
  });

  test('several models: those granted as given (account models, tokens) first, in one statement; the given actions only', () => {
    const custom = 'arn:aws:bedrock:us-east-1:111122223333:custom-model/abc';
    expect(rendered(invokeModelStatements(SCOPE, [MODEL_ID, custom], ['bedrock:InvokeModel']))).toEqual([
      { Effect: 'Allow', Action: ['bedrock:invokemodel'], Resource: [custom] },
      { Effect: 'Allow', Action: ['bedrock:invokemodel'], Resource: [MODEL_ARN] },
    ]);
  });
});
