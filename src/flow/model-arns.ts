import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import { PolicyScope, PolicyScopes } from '../policy/scope';
import { accountModelArnType, MODEL_FORMS, parseModel } from '../private/model-arns';

/** ARN resource types of model-like resources that route to models they do not name. */
const ROUTING_TYPES = ['application-inference-profile', 'prompt-router', 'default-prompt-router'];

/** What a value that may be an ARN or an id turned out to be. */
export type IdentifierKind = 'arn' | 'id' | 'unknown';

/**
 * Whether a value that Bedrock accepts as either an ARN or an id is an ARN. A literal is an ARN
 * when it starts with `arn:`; so is a token built from a literal `arn:` prefix (`Stack.formatArn`).
 * A token that is one reference to a CloudFormation attribute is an ARN when the attribute's
 * name ends in `Arn` and an id when it ends in `Id`. Anything else is unknown.
 */
export function identifierKind(value: string): IdentifierKind {
  if (value.startsWith('arn:')) return 'arn';
  if (!Token.isUnresolved(value)) return 'id';
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token && Reference.isReference(token)) {
    if (/Arn$/.test(token.displayName)) return 'arn';
    if (/Id$/.test(token.displayName)) return 'id';
  }
  return 'unknown';
}

/** What `bedrock:InvokeModel` must name for one `modelId` of a flow node. */
export interface ModelResources {
  /** Resources for an unconditioned `bedrock:InvokeModel` statement. */
  readonly arns: string[];
  /**
   * For a cross-Region inference profile: the profile's model in every region
   * (`arn:<partition>:bedrock:*::foundation-model/<model>`), to be granted only through the profile.
   */
  readonly throughProfile?: { readonly profileArn: string; readonly modelArns: string };
  /** Set when models the value routes to cannot be known from it. */
  readonly gap?: string;
  /** Set when a literal value is not a model: what it must be. */
  readonly expected?: string;
}

/**
 * The resources to grant `bedrock:InvokeModel` on for a `modelId` of a flow node. Literals are
 * parsed with the library's model parser (`src/private/model-arns.ts`); other Bedrock model ARNs
 * (provisioned, custom, imported models, application inference profiles, prompt routers) are
 * granted as given, the routing kinds with a gap for the models behind them. A token is granted
 * on its ARN: as given when it is an ARN, as a foundation-model id otherwise (an ARN built from
 * it is always a valid IAM resource, where an id is not), with a gap saying so.
 */
// Source: Amazon Bedrock User Guide, "Create a service role for Amazon Bedrock Flows" (InvokeModel
// on each model) and "Prerequisites for inference profiles" (the model in each destination Region).
export function modelResources(scope: PolicyScope, modelId: string): ModelResources {
  if (Token.isUnresolved(modelId)) {
    const kind = identifierKind(modelId);
    if (kind === 'arn') {
      return {
        arns: [modelId],
        gap: 'its model is a token: bedrock:InvokeModel is granted on it; if it is an inference profile or a prompt router, also grant the models it routes to',
      };
    }
    return {
      arns: [PolicyScopes.arn(scope, 'bedrock', `foundation-model/${modelId}`, undefined, '')],
      gap: kind === 'id'
        ? 'its model id is a token: bedrock:InvokeModel is granted on it as a foundation model; if it is an inference profile, grant the profile and its models'
        : 'its model is a token that may be an id or an ARN: bedrock:InvokeModel is granted on it as a foundation-model id; if it is an ARN, grant bedrock:InvokeModel on it',
    };
  }

  const parsed = parseModel(scope, modelId);
  if (parsed?.kind === 'foundation-model') return { arns: [parsed.modelArn] };
  if (parsed?.kind === 'inference-profile') {
    return { arns: [parsed.profileArn], throughProfile: { profileArn: parsed.profileArn, modelArns: parsed.modelArns } };
  }

  const type = accountModelArnType(modelId);
  if (type) {
    return ROUTING_TYPES.includes(type)
      ? { arns: [modelId], gap: `its model ${modelId} routes to models the definition does not name: grant bedrock:InvokeModel on them` }
      : { arns: [modelId] };
  }
  return { arns: [], expected: `${MODEL_FORMS}, or the ARN of another Bedrock model` };
}
