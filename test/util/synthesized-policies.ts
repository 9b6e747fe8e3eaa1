/**
 * Reads the policies out of a synthesized template and evaluates requests against them with a
 * real IAM policy engine (@cloud-copilot/iam-simulate), so tests can say "this principal,
 * this action, this context: Allowed / Denied".
 *
 * CloudFormation intrinsics are resolved to concrete stand-in values: a resource's ARN is built
 * from its type and logical id in the test account and region, the way AWS would build it.
 */
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import * as core from 'aws-cdk-lib';
import { App, CfnElement, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { pseudoParameter, resolveIntrinsics } from './intrinsics';
import { requestProblem } from './resource-types';

export const TEST_ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const TEST_REGION = 'us-east-1';

/**
 * A stack in the test account and region. It may stay empty: the tests synthesize it to show that a
 * rejected construct left nothing behind. aws-cdk-lib 2.262 and later validate every template at
 * synth, and an empty Resources section is CloudFormation's finding F0001; where that validation
 * exists (the newest-aws-cdk-lib run turns its findings into errors), the stack acknowledges F0001
 * and nothing else.
 */
export function testStack(id = 'TestStack', app: App = new App()): Stack {
  const stack = new Stack(app, id, { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
  acknowledgeEmptyTemplate(stack);
  acknowledgeAgentsClassic(stack);
  return stack;
}

/**
 * A test stack deployed with the CLI's credentials (`CliCredentialsStackSynthesizer`): there is no
 * CloudFormation execution role, so the library names no deployment role in key policies. For
 * tests about the other statements.
 */
export function testStackWithoutDeploymentRole(id = 'TestStack', app: App = new App()): Stack {
  const stack = new Stack(app, id, { env: { account: TEST_ACCOUNT, region: TEST_REGION }, synthesizer: new CliCredentialsStackSynthesizer() });
  acknowledgeEmptyTemplate(stack);
  acknowledgeAgentsClassic(stack);
  return stack;
}

/** The CloudFormation execution role of a test stack's default synthesizer, as key policies name it. */
export const DEPLOYMENT_ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`;

/**
 * Acknowledges CloudFormation validation's maintenance-mode warning (W3697) on Agents Classic
 * (`AWS::Bedrock::Agent`, `AWS::Bedrock::AgentAlias`) for `stack`, on aws-cdk-lib versions that
 * validate: the tests build Agents Classic resources on purpose, for its existing customers.
 */
export function acknowledgeAgentsClassic(stack: Stack): void {
  acknowledgeCloudFormationFindings(stack, ['W3697'],
    'the test builds Agents Classic resources on purpose: EncryptedAgent stays for Agents Classic\'s existing customers');
}

/** Acknowledges CloudFormation validation's empty-template finding (F0001) for `stack`, on aws-cdk-lib versions that validate. */
export function acknowledgeEmptyTemplate(stack: Stack): void {
  acknowledgeCloudFormationFindings(stack, ['F0001'], 'a test stack may be empty: the test checks that a rejected construct left nothing behind');
}

/**
 * Acknowledges CloudFormation validation findings (`F3031`, ...) on `scope` and below, where a test
 * writes an invalid template on purpose. aws-cdk-lib 2.262 and later validate templates at synth;
 * older versions have no `Validations` and nothing to acknowledge.
 */
export function acknowledgeCloudFormationFindings(scope: IConstruct, ruleIds: string[], reason: string): void {
  const validations = (core as any).Validations;
  for (const id of ruleIds) validations?.of(scope).acknowledge({ id: `CloudFormation-Validate::${id}`, reason });
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Request {
  /** An IAM principal ARN, or a service principal such as `bedrock.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  /** The resource ARN; defaults to the only KMS key in the template. */
  readonly resource?: string;
  /** Request context keys (single-valued keys as strings). */
  readonly context?: Record<string, string | string[]>;
}

interface Resource { Type: string; Properties?: any }

/** Stand-in attribute values, per resource type. */
const ATTRIBUTES: Record<string, (id: string, p: SynthesizedPolicies, r: Resource) => Record<string, string>> = {
  'AWS::KMS::Key': (id, p) => ({ Ref: id, KeyId: id, Arn: `arn:aws:kms:${p.region}:${p.account}:key/${id}` }),
  'AWS::KMS::Alias': (id) => ({ Ref: `alias/${id}` }),
  'AWS::IAM::Role': (id, p, r) => ({ Ref: p.roleNameOf(id, r), RoleId: id, Arn: `arn:aws:iam::${p.account}:role/${p.roleNameOf(id, r)}` }),
  'AWS::IAM::User': (id, p) => ({ Ref: id, Arn: `arn:aws:iam::${p.account}:user/${id}` }),
  'AWS::IAM::Policy': (id) => ({ Ref: id }),
  'AWS::IAM::ManagedPolicy': (id, p) => ({ Ref: `arn:aws:iam::${p.account}:policy/${id}` }),
  'AWS::S3::Bucket': (id) => ({ Ref: id.toLowerCase(), Arn: `arn:aws:s3:::${id.toLowerCase()}` }),
  'AWS::Bedrock::Agent': (id, p) => ({ AgentId: id, AgentArn: p.bedrockArn('agent', id) }),
  'AWS::Bedrock::AgentAlias': (id, p, r) => {
    const agentId = p.resolve(r.Properties?.AgentId);
    return { AgentAliasId: id, AgentAliasArn: p.bedrockArn('agent-alias', `${agentId}/${id}`) };
  },
  'AWS::Bedrock::Flow': (id, p) => ({ Id: id, Arn: p.bedrockArn('flow', id) }),
  'AWS::Bedrock::FlowVersion': (_id, p, r) => ({ Version: '1', FlowArn: p.resolve(r.Properties?.FlowArn) }),
  'AWS::Bedrock::FlowAlias': (id, p, r) => {
    const flowArn = p.resolve(r.Properties?.FlowArn);
    return { Id: id, Arn: `${flowArn}/alias/${id}`, FlowId: String(flowArn).split('/').pop()! };
  },
  'AWS::Bedrock::KnowledgeBase': (id, p) => ({ KnowledgeBaseId: id, KnowledgeBaseArn: p.bedrockArn('knowledge-base', id) }),
  'AWS::Bedrock::DataSource': (id) => ({ DataSourceId: id }),
  'AWS::S3Vectors::VectorBucket': (id, p) => ({ VectorBucketArn: `arn:aws:s3vectors:${p.region}:${p.account}:bucket/${id.toLowerCase()}` }),
  'AWS::S3Vectors::Index': (id, p, r) => {
    const bucket = r.Properties?.VectorBucketArn ? String(p.resolve(r.Properties.VectorBucketArn)) : `arn:aws:s3vectors:${p.region}:${p.account}:bucket/${p.resolve(r.Properties?.VectorBucketName)}`;
    const name = r.Properties?.IndexName ? p.resolve(r.Properties.IndexName) : id.toLowerCase();
    return { IndexArn: `${bucket}/index/${name}` };
  },
  'AWS::OpenSearchServerless::Collection': (id, p) => ({
    Ref: id,
    Id: id,
    Arn: `arn:aws:aoss:${p.region}:${p.account}:collection/${id}`,
    CollectionEndpoint: `https://${id}.${p.region}.aoss.amazonaws.com`,
  }),
  'AWS::SecretsManager::Secret': (id, p) => ({ Ref: `arn:aws:secretsmanager:${p.region}:${p.account}:secret:${id}` }),
  'AWS::SNS::Topic': (id, p) => ({ Ref: `arn:aws:sns:${p.region}:${p.account}:${id}`, TopicArn: `arn:aws:sns:${p.region}:${p.account}:${id}` }),
  'AWS::Events::Rule': (id, p) => ({ Ref: id, Arn: `arn:aws:events:${p.region}:${p.account}:rule/${id}` }),
  'AWS::Lambda::Function': (id, p) => ({ Ref: id, Arn: `arn:aws:lambda:${p.region}:${p.account}:function:${id}` }),
  'AWS::BedrockAgentCore::Harness': (id, p) => ({
    'HarnessId': `${id}-abcdefghij`,
    'Arn': `arn:aws:bedrock-agentcore:${p.region}:${p.account}:harness/${id}-abcdefghij`,
    'Environment.AgentCoreRuntimeEnvironment.AgentRuntimeArn': `arn:aws:bedrock-agentcore:${p.region}:${p.account}:runtime/harness_${id}-klmnopqrst`,
    'Memory.ManagedMemoryConfiguration.Arn': `arn:aws:bedrock-agentcore:${p.region}:${p.account}:memory/harness_${id}-uvwxyzabcd`,
  }),
  'AWS::BedrockAgentCore::Gateway': (id, p) => ({
    GatewayIdentifier: `${id.toLowerCase()}-abcdefghij`,
    GatewayArn: `arn:aws:bedrock-agentcore:${p.region}:${p.account}:gateway/${id.toLowerCase()}-abcdefghij`,
  }),
};

export class SynthesizedPolicies {
  /** Synthesizes `stack` and reads its policies. */
  public static of(stack: Stack): SynthesizedPolicies {
    return new SynthesizedPolicies(Template.fromStack(stack).toJSON(), stack);
  }

  /**
   * Reads several stacks of one app whose templates import each other's exports: a
   * `Fn::ImportValue` resolves to the stand-in value of the exporting stack's output.
   */
  public static ofStacks(...stacks: Stack[]): SynthesizedPolicies[] {
    const all = stacks.map((stack) => SynthesizedPolicies.of(stack));
    const exports = new Map<string, () => any>();
    for (const p of all) {
      for (const output of Object.values<any>(p.template.Outputs ?? {})) {
        if (output.Export?.Name) exports.set(output.Export.Name, () => p.resolve(output.Value));
      }
    }
    for (const p of all) p.exports = exports;
    return all;
  }

  public readonly account: string;
  public readonly region: string;
  private readonly resources: Record<string, Resource>;
  private exports = new Map<string, () => any>();

  constructor(public readonly template: any, private readonly stack: Stack) {
    this.resources = template.Resources ?? {};
    this.account = stack.account;
    this.region = stack.region;
  }

  /** The logical id of a construct's CloudFormation resource (or of its default child). */
  public logicalId(construct: IConstruct): string {
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement)) {
      throw new Error(`${construct.node.path} has no CloudFormation resource`);
    }
    return this.stack.resolve(element.logicalId);
  }

  /** The stand-in ARN of a resource, by logical id or construct. */
  public arn(resource: string | IConstruct, attribute = 'Arn'): string {
    const id = typeof resource === 'string' ? resource : this.logicalId(resource);
    return this.attribute(id, attribute);
  }

  /** A role's name: its `RoleName`, or its logical id when CloudFormation generates the name. */
  public roleNameOf(id: string, role: Resource): string {
    const name = role.Properties?.RoleName;
    return name === undefined ? id : String(this.resolve(name));
  }

  /** `arn:aws:bedrock:<region>:<account>:<type>/<id>` */
  public bedrockArn(type: string, id: string): string {
    return `arn:aws:bedrock:${this.region}:${this.account}:${type}/${id}`;
  }

  /** Logical ids of every resource of a type. */
  public idsOfType(type: string): string[] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  /** The resolved key policy of a key (the only key in the template when none is named). */
  public keyPolicy(key?: string | IConstruct): any {
    return this.resolve(this.resources[this.keyId(key)].Properties.KeyPolicy);
  }

  /** Resolved statements of the key policy. */
  public keyPolicyStatements(key?: string | IConstruct): any[] {
    return this.keyPolicy(key).Statement;
  }

  /**
   * Resolved identity policies of a role or user: inline policies, AWS::IAM::Policy and
   * AWS::IAM::ManagedPolicy resources attached to it.
   */
  public identityPolicies(principal: string | IConstruct): any[] {
    const id = typeof principal === 'string' ? principal : this.logicalId(principal);
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    const docs: any[] = (resource.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument);
    const attachedTo = (r: Resource) =>
      [...(r.Properties?.Roles ?? []), ...(r.Properties?.Users ?? [])].some((ref: any) => ref?.Ref === id);
    for (const r of Object.values(this.resources)) {
      if ((r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && attachedTo(r)) {
        docs.push(r.Properties.PolicyDocument);
      }
    }
    return docs.map((d) => this.resolve(d));
  }

  /** The role's trust policy, resolved. */
  public trustPolicy(role: string | IConstruct): any {
    const id = typeof role === 'string' ? role : this.logicalId(role);
    return this.resolve(this.resources[id].Properties.AssumeRolePolicyDocument);
  }

  /**
   * Evaluates a request to a KMS key: the key policy as resource policy, and the identity
   * policies of the principal when it is a role or user of this template.
   */
  public evaluate(request: Request, key?: string | IConstruct): Decision {
    const keyId = this.keyId(key);
    const resource = request.resource ?? this.attribute(keyId, 'Arn');
    const principalId = this.principalLogicalId(request.principal);
    return evaluatePolicies({
      principal: request.principal,
      action: request.action,
      resource,
      resourceAccount: this.account,
      resourcePolicy: this.keyPolicy(keyId),
      identityPolicies: principalId ? this.identityPolicies(principalId) : [],
      context: request.context,
    });
  }

  /** Evaluates a request against identity policies only (a resource without a resource policy). */
  public evaluateIdentity(request: Request & { resource: string }): Decision {
    const principalId = this.principalLogicalId(request.principal);
    if (!principalId) throw new Error(`${request.principal} is not a role or user of this template`);
    return evaluatePolicies({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      resourceAccount: this.account,
      identityPolicies: this.identityPolicies(principalId),
      context: request.context,
    });
  }

  /** Resolves CloudFormation intrinsics to stand-in values. */
  public resolve(value: any): any {
    return resolveIntrinsics(value, {
      ref: (name) => this.ref(name),
      attribute: (id, attribute) => this.attribute(id, attribute),
      importValue: (name) => {
        const exported = this.exports.get(name);
        if (!exported) throw new Error(`no stack of SynthesizedPolicies.ofStacks exports ${JSON.stringify(name)}`);
        return exported();
      },
    });
  }

  private ref(name: string): string {
    return pseudoParameter(name, { account: this.account, region: this.region, stackName: this.stack.stackName }) ?? this.attribute(name, 'Ref');
  }

  private attribute(id: string, attribute: string): string {
    const resource = this.resources[id];
    if (!resource) throw new Error(`template has no resource ${id}`);
    const table = ATTRIBUTES[resource.Type];
    const values = table ? table(id, this, resource) : {};
    const value = values[attribute] ?? (attribute === 'Ref' ? id : undefined);
    if (value === undefined) throw new Error(`no stand-in for ${resource.Type}.${attribute} (${id}); add it to ATTRIBUTES`);
    return value;
  }

  private keyId(key?: string | IConstruct): string {
    if (key !== undefined) return typeof key === 'string' ? key : this.logicalId(key);
    const keys = this.idsOfType('AWS::KMS::Key');
    if (keys.length !== 1) throw new Error(`expected exactly one AWS::KMS::Key, found ${keys.length}; name one`);
    return keys[0];
  }

  private principalLogicalId(principal: string): string | undefined {
    const match = /^arn:aws:iam::\d{12}:(role|user)\/(.+)$/.exec(principal);
    if (!match) return undefined;
    if (this.resources[match[2]]) return match[2];
    return this.idsOfType('AWS::IAM::Role').find((id) => this.roleNameOf(id, this.resources[id]) === match[2]);
  }
}

export interface PolicyEvaluation {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy?: any;
  readonly identityPolicies?: any[];
  readonly context?: Record<string, string | string[]>;
}

/**
 * Evaluates one request with iam-simulate. Its `runSimulation` drops context keys it cannot
 * match to the action's documented keys, and `kms:EncryptionContext:<key>` is one of them, so
 * this uses `runUnsafeSimulation`, which evaluates every key it is given. Policies are
 * validated first, so a malformed statement fails the test instead of being skipped.
 *
 * Resource types are enforced as `runSimulation` does: the request must name `*` for a
 * wildcard-only action and an ARN of a type the action accepts otherwise (Service Authorization
 * Reference), or the evaluation throws. A test can then never call a request "Allowed" that IAM
 * never receives (`CreateEvaluationJob` on an evaluation job, `CreateModelImportJob` on a job ARN).
 */
export function evaluatePolicies(e: PolicyEvaluation): Decision {
  const impossible = requestProblem(e.action, e.resource);
  if (impossible !== undefined) throw new Error(`not a request IAM receives: ${impossible}`);
  const resourcePolicy = e.resourcePolicy
    ? createValidatedPolicy(e.resourcePolicy, validateResourcePolicy, { name: 'ResourcePolicy' })
    : undefined;
  const identityPolicies = (e.identityPolicies ?? []).map((doc, i) =>
    createValidatedPolicy(doc, validateIdentityPolicy, { name: `IdentityPolicy${i}` }));
  const invalid = [resourcePolicy, ...identityPolicies].filter((p) => p && p.errors.length > 0);
  if (invalid.length > 0) {
    throw new Error(`invalid policy: ${JSON.stringify(invalid.map((p) => p!.errors))}`);
  }
  return runUnsafeSimulation({
    request: {
      principal: e.principal,
      action: e.action,
      resource: { resource: e.resource, accountId: e.resourceAccount },
      contextVariables: e.context ?? {},
    },
    identityPolicies: identityPolicies.map((p) => ({ name: p.metadata!.name as string, policy: p as any })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicy as any,
  }, {}) as Decision;
}
