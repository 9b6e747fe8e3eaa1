import * as iam from 'aws-cdk-lib/aws-iam';
import { isResolved } from './validation';
import { PARTITION, REGION } from '../policy/patterns';
import { PolicyScope, PolicyScopes } from '../policy/scope';

/**
 * The forms a model property accepts, for error messages: "<prop> must be <MODEL_FORMS>".
 */
export const MODEL_FORMS =
  "a foundation model id ('anthropic.claude-3-5-sonnet-20240620-v1:0'), a foundation-model ARN " +
  "('arn:aws:bedrock:<region>::foundation-model/<model-id>'), a cross-region inference profile id " +
  "('us.anthropic.claude-3-5-sonnet-20240620-v1:0'; prefixes us, us-gov, eu, apac, jp, au, ca, global) " +
  "or an inference-profile ARN ('arn:aws:bedrock:<region>:<account>:inference-profile/<profile-id>', any prefix)";

/** Prefixes of the system-defined (cross-region) inference profiles: `<prefix>.<model-id>`. */
const PROFILE_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'];

/**
 * `<provider>.<model>[:<version>[:<variant>]]`, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`:
 * one dot, so an id with an unknown profile prefix is not taken for a model id.
 */
const MODEL_ID = '[a-z0-9-]{1,63}\\.[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}(?::[a-zA-Z0-9-]{1,63}){0,2}';
const PROFILE_ID = `(${PROFILE_PREFIXES.join('|')})\\.(${MODEL_ID})`;
/** In an ARN any geography prefix is accepted, so profiles newer than this list can be named by ARN. */
const ANY_PROFILE_ID = `([a-z]{2,}(?:-[a-z]+)*)\\.(${MODEL_ID})`;

const MODEL_ID_RE = new RegExp(`^${MODEL_ID}$`);
const PROFILE_ID_RE = new RegExp(`^${PROFILE_ID}$`);
const MODEL_ARN_RE = new RegExp(`^arn:(${PARTITION}):bedrock:(${REGION})::foundation-model/(${MODEL_ID})$`);
const ACCOUNT_ARN_RE = new RegExp(`^arn:${PARTITION}:bedrock:${REGION}:\\d{12}:([a-z-]+)/[^\\s]+$`);
const PROFILE_ARN_RE = new RegExp(`^arn:(${PARTITION}):bedrock:(${REGION}):(\\d{12}):inference-profile/${ANY_PROFILE_ID}$`);

/** Actions that run inference on a model, streaming or not. */
export const INVOKE_MODEL_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** The condition key Bedrock sets when a request reaches a model through an inference profile. */
const INFERENCE_PROFILE_ARN_KEY = 'bedrock:InferenceProfileArn';

/** What a model property names, once parsed. */
export type ModelReference =
  /** A foundation model, invoked in one region. */
  | { readonly kind: 'foundation-model'; readonly modelArn: string }
  /**
   * A system-defined inference profile: the profile, and its model in every region the profile
   * may route to (`arn:<partition>:bedrock:*::foundation-model/<model-id>`).
   */
  | { readonly kind: 'inference-profile'; readonly profileArn: string; readonly modelArns: string }
  /** A token: used as the resource as given. */
  | { readonly kind: 'unresolved'; readonly value: string };

/**
 * Parses a model id, foundation-model ARN, inference profile id or inference-profile ARN.
 * Ids are turned into ARNs in the scope's partition, region and account. Returns undefined for
 * anything else (application inference profiles, custom or provisioned models included).
 * Unresolved tokens are not parsed: they must resolve to an ARN IAM accepts.
 */
export function parseModel(scope: PolicyScope, value: string): ModelReference | undefined {
  if (!isResolved(value)) return { kind: 'unresolved', value };

  let m = MODEL_ARN_RE.exec(value);
  if (m) return { kind: 'foundation-model', modelArn: value };

  m = PROFILE_ARN_RE.exec(value);
  if (m) return profile({ ...scope, partition: m[1] }, value, m[5]);

  m = PROFILE_ID_RE.exec(value);
  if (m) {
    const profileArn = PolicyScopes.arn(scope, 'bedrock', `inference-profile/${value}`);
    return profile({ ...scope, partition: scope.partition }, profileArn, m[2]);
  }

  if (MODEL_ID_RE.test(value)) {
    return { kind: 'foundation-model', modelArn: PolicyScopes.arn(scope, 'bedrock', `foundation-model/${value}`, undefined, '') };
  }
  return undefined;
}

/**
 * The resource type of a Bedrock ARN that names a model resource of an account
 * (`arn:<partition>:bedrock:<region>:<account>:<type>/<id>`: `custom-model`, `provisioned-model`,
 * `imported-model`, `application-inference-profile`, `prompt-router`, ...), or undefined when
 * `value` is not such an ARN. Callers decide which types they accept.
 */
export function accountModelArnType(value: string): string | undefined {
  return ACCOUNT_ARN_RE.exec(value)?.[1];
}

/** A profile, and its model in any region: the profile's partition (`scope.partition`) is the model's. */
function profile(scope: PolicyScope, profileArn: string, modelId: string): ModelReference {
  return { kind: 'inference-profile', profileArn, modelArns: PolicyScopes.arn(scope, 'bedrock', `foundation-model/${modelId}`, '*', '') };
}

/**
 * Identity statements that let a role run inference on exactly `models`, and on nothing else: the
 * one way from a model to its invoke statements.
 * - a foundation model (id or ARN): `actions` on its ARN;
 * - a system-defined inference profile (id or ARN): `actions` and `bedrock:GetInferenceProfile`
 *   on the profile, and `actions` on the profile's model in any region, only through that profile
 *   (`bedrock:InferenceProfileArn`);
 * - anything else (an account model ARN or pattern, a token): `actions` on it as given, in one
 *   statement that comes first.
 *
 * `actions` are what the caller's AWS page gives it: `InvokeModel` and
 * `InvokeModelWithResponseStream` by default (agents, knowledge base generation, jobs), or
 * `InvokeModel` alone (a knowledge base's embedding model).
 */
// Sources: Bedrock User Guide, "Create a service role for Amazon Bedrock Agents" (agents-permissions.html),
// "Invoke an agent from your application" (streaming needs bedrock:InvokeModelWithResponseStream),
// "Prerequisites for running model inference" (bedrock:GetInferenceProfile) and
// "Prerequisites for inference profiles" (the model in each Region of the profile; bedrock:InferenceProfileArn).
export function invokeModelStatements(scope: PolicyScope, models: string[], actions: string[] = INVOKE_MODEL_ACTIONS): iam.PolicyStatement[] {
  const direct: string[] = [];
  const statements: iam.PolicyStatement[] = [];
  for (const model of models) {
    const parsed = parseModel(scope, model);
    if (parsed?.kind === 'foundation-model') {
      statements.push(new iam.PolicyStatement({ actions, resources: [parsed.modelArn] }));
    } else if (parsed?.kind === 'inference-profile') {
      statements.push(
        new iam.PolicyStatement({ actions: [...actions, 'bedrock:GetInferenceProfile'], resources: [parsed.profileArn] }),
        throughProfileStatement(parsed.profileArn, parsed.modelArns, actions),
      );
    } else {
      direct.push(model);
    }
  }
  if (direct.length > 0) statements.unshift(new iam.PolicyStatement({ actions, resources: direct }));
  return statements;
}

/** `actions` on a cross-Region inference profile's models (`modelArns`), only through that profile. */
export function throughProfileStatement(profileArn: string, modelArns: string, actions: string[] = INVOKE_MODEL_ACTIONS): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions,
    resources: [modelArns],
    conditions: { StringEquals: { [INFERENCE_PROFILE_ARN_KEY]: profileArn } },
  });
}
