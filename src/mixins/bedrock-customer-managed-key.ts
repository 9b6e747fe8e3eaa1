import { CfnResource, Mixin, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { EncryptableResource, encryptableResourceOf, ENCRYPTABLE_RESOURCES } from './encryptable-resources';
import { warnUnconditionedL2KeyGrants } from './l2-key-grants';
import { IBedrockKey } from '../key/bedrock-key';
import { PolicyScopes } from '../policy/scope';
import { BedrockEncryptionError, PropsValidator } from '../private/validation';
import { deployingRoleArn } from '../wiring/deploying-role';
import { writeKeyPolicy } from '../wiring/policy-writer';

/** Options of a {@link BedrockCustomerManagedKey} mixin. */
export interface BedrockCustomerManagedKeyOptions {
  /**
   * Principals that create and manage, through Bedrock, resources that name no role of their
   * own: guardrails (`GuardrailEncryptionStatements.creatorKeyUse`, with `kms:CreateGrant`),
   * sessions (`SessionEncryptionStatements.creatorKeyUse`), Data Automation projects,
   * blueprints and libraries (`DataAutomationEncryptionStatements.roleKeyUse`), managed knowledge bases
   * (`KnowledgeBaseEncryptionStatements.managedCreatorKeyUse`), retrieval instructions
   * (`RetrievalInstructionEncryptionStatements.creatorKeyUse`) and OpenSearch Serverless
   * collections (`KnowledgeBaseEncryptionStatements.openSearchCollectionCreatorKeyUse`). Each gets those statements in the key
   * policy for each such resource type the mixin is applied to. Typically the CloudFormation
   * execution role.
   *
   * @default - none: these principals use the key through their identity policies, which the
   * key policy must delegate to (a new `kms.Key` or `BedrockKey` does, with its account-root
   * statement); see the identity builders of the same classes
   */
  readonly keyCreators?: iam.IPrincipal[];

  /**
   * Principals that use such resources: for guardrails only `kms:Decrypt` of a guardrail
   * (`GuardrailEncryptionStatements.userKeyUse`), as the guardrail page separates users from
   * creators; for retrieval instructions the creators' use without `kms:CreateGrant`
   * (`RetrievalInstructionEncryptionStatements.userKeyUse`), AgentCore memories and harnesses
   * (`AgentCoreMemoryEncryptionStatements.userKeyUse`, `AgentCoreHarnessEncryptionStatements.userKeyUse`)
   * and policy engines (`AgentCorePolicyEngineEncryptionStatements.callerKeyUse`): AWS pages give
   * grant rights to creators only; for sessions, Data Automation and the other AgentCore types,
   * whose pages make no such difference, the same statements as `keyCreators`; none for managed
   * knowledge bases (the page gives users no key use), data sources (only the knowledge base's
   * role uses the ingestion key) and OpenSearch Serverless collections. Typically the application roles.
   *
   * @default - none, as for `keyCreators`
   */
  readonly keyUsers?: iam.IPrincipal[];

  /**
   * The role that deploys the stack, and so creates the resources: it gets the creator's key
   * use AWS documents for agents (the agent API caller), flows (the Flows API caller),
   * guardrails, sessions, Data Automation and OpenSearch Serverless collections, and the
   * undocumented creator statements of managed knowledge bases and retrieval instructions, so the
   * stack deploys with a least-privilege CloudFormation execution role. Knowledge base data
   * sources and prompts name no creator.
   *
   * @default - the CloudFormation execution role of the stack's `DefaultStackSynthesizer`;
   * none with any other synthesizer (the deploying principal then uses the key through its
   * identity policy, which the key's account-root statement admits)
   */
  readonly deploymentRole?: iam.IRole;
}

/**
 * A mixin that encrypts Amazon Bedrock L1 resources with a customer managed key: it sets the
 * resource's key property and adds the key-policy statements the resource needs, with the same
 * statement builders as this library's constructs.
 *
 * Supported: `CfnAgent.customerEncryptionKeyArn`, `CfnFlow.customerEncryptionKeyArn`,
 * `CfnPrompt.customerEncryptionKeyArn`, `CfnGuardrail.kmsKeyArn`,
 * `CfnDataSource.serverSideEncryptionConfiguration.kmsKeyArn`, `CfnDataAutomationProject.kmsKeyId`,
 * `CfnBlueprint.kmsKeyId`, `CfnCollection.encryptionConfig.kmsKeyArn` (OpenSearch Serverless; it
 * also sets `awsOwnedKey` to false) and, in aws-cdk-lib versions that have them,
 * `CfnSession.encryptionKeyArn`, `CfnDataAutomationLibrary.encryptionConfiguration.kmsKeyId`,
 * `CfnRetrievalInstruction.customerEncryptionKeyArn` and, for a knowledge base of type `MANAGED`
 * only, `CfnKnowledgeBase.knowledgeBaseConfiguration.managedKnowledgeBaseConfiguration.serverSideEncryptionConfiguration.kmsKeyArn`;
 * and of Amazon Bedrock AgentCore, `CfnMemory.encryptionKeyArn`, `CfnGateway.kmsKeyArn`, and, in
 * the aws-cdk-lib versions that have them, `CfnPolicyEngine.encryptionKeyArn`,
 * `CfnEvaluator.kmsKeyArn`, `CfnDataset.kmsKeyArn`, `CfnConfigurationBundle.kmsKeyArn` and
 * `CfnHarness.memory.managedMemoryConfiguration.encryptionKeyArn`; and of AWS Agent Registry, in the
 * aws-cdk-lib versions that have it, `CfnRegistry.encryptionConfiguration.kmsKeyArn`.
 * It sets no `kmsEncryptionContext` (Data Automation): the AWS page scopes no key policy by it.
 * `CfnAutomatedReasoningPolicy.kmsKeyId` is not set (no AWS page documents its key use); the
 * checks read it. Every other construct is left alone (`supports()` is false), including a
 * knowledge base of another type and L2 constructs: `construct.with(mixin)` and
 * `Mixins.of(scope).apply(mixin)` visit the whole subtree, so applying the mixin to an L2 (for
 * example an `aws-bedrock-alpha` `Agent` or `Guardrail`, or an `aws-bedrockagentcore` `Memory`,
 * `Gateway` or `PolicyEngine`) encrypts its L1 child. The L2's own `kmsKey` property is not
 * changed, so its grant methods do not know the key.
 *
 * An L2 given its own `kmsKey` may have granted its role use of the key with no condition: the
 * aws-bedrockagentcore `Memory` grants its execution role `kms:CreateGrant`, `kms:Decrypt`,
 * `kms:DescribeKey`, `kms:GenerateDataKey`, `kms:GenerateDataKeyWithoutPlaintext` and
 * `kms:ReEncrypt*`, and the `Gateway` its role the encrypt, decrypt, data-key, re-encrypt,
 * `kms:CreateGrant` and `kms:DescribeKey` actions, all on the key with no condition. The mixin
 * cannot remove them; applied with the same key, it still writes its statements and warns
 * (`BedrockEncryptionWarnings.L2_UNCONDITIONED_KEY_GRANTS`) naming the L2, the role and the
 * actions. Give the L2 no `kmsKey` and apply the mixin to it instead: the L1 then gets the key
 * and the key policy only the conditioned statements the AWS pages document.
 *
 * Key policies name no attribute of an encrypted resource (a CloudFormation dependency cycle): they
 * scope Bedrock by ARN pattern (`arn:<partition>:bedrock:<region>:<account>:<type>/*`) and name
 * roles by the ARN the resource is given. A resource whose key property is already set to another
 * key is an error; set to this key, it keeps its value and still gets the statements.
 *
 * Statements go into the key policy when the app owns the key. For an imported key they are
 * collected, once each, into one `KeyPolicyToAdd` stack output under the key, with one synth
 * warning (`BedrockEncryptionWarnings.KEY_POLICY_NOT_UPDATED`).
 *
 * Use it on one resource, `new CfnGuardrail(...).with(new BedrockCustomerManagedKey(key))`, or on
 * every supported resource in a scope, `Mixins.of(stack).apply(new BedrockCustomerManagedKey(key))`.
 */
export class BedrockCustomerManagedKey extends Mixin {
  /** The CloudFormation types of the resources this mixin encrypts. */
  public static readonly supportedResourceTypes: string[] = ENCRYPTABLE_RESOURCES.map((e) => e.cfnType);

  /**
   * A mixin that writes into an existing `IBedrockKey` (for example the key of an `Encrypted*`
   * construct), so its statements and any `KeyPolicyToAdd` output stay with that key.
   */
  public static fromBedrockKey(bedrockKey: IBedrockKey, options: BedrockCustomerManagedKeyOptions = {}): BedrockCustomerManagedKey {
    const mixin = new BedrockCustomerManagedKey(bedrockKey.key, options);
    mixin.fixedBedrockKey = bedrockKey;
    return mixin;
  }

  /** The key resources are encrypted with. */
  public readonly key: kms.IKey;

  private readonly keyCreators: iam.IPrincipal[];
  private readonly keyUsers: iam.IPrincipal[];
  private readonly deploymentRole?: iam.IRole;
  private fixedBedrockKey?: IBedrockKey;

  /**
   * @param key the key to encrypt with; must be in the account and region of the resources' stack
   * @param options principals to name in the key policy
   */
  constructor(key: kms.IKey, options: BedrockCustomerManagedKeyOptions = {}) {
    super();
    this.key = key;
    this.keyCreators = [...(options.keyCreators ?? [])];
    this.keyUsers = [...(options.keyUsers ?? [])];
    this.deploymentRole = options.deploymentRole;
  }

  /** True for a supported Bedrock L1 resource. */
  public supports(construct: IConstruct): boolean {
    return encryptableResourceOf(construct) !== undefined;
  }

  /**
   * Sets the key on the resource and adds its key-policy statements. Throws a
   * `BedrockEncryptionError` for an unsupported construct, a resource that has another key, or
   * a key in another account or region than the resource's stack (when both are known).
   */
  public applyTo(construct: IConstruct): void {
    const entry = encryptableResourceOf(construct);
    if (entry === undefined) {
      throw new BedrockEncryptionError(
        `BedrockCustomerManagedKey cannot encrypt '${construct.node.path}': it supports ${BedrockCustomerManagedKey.supportedResourceTypes.join(', ')}`);
    }
    const resource = construct as CfnResource;

    // Every check before any change: the existing key, then the key's account and region.
    const awsOwned = entry.awsOwnedKeyChosen(resource);
    if (awsOwned !== undefined) {
      throw new BedrockEncryptionError(
        `${entry.cfnType} at '${resource.node.path}': ${awsOwned} is true (an AWS owned key); remove it or set it to false ` +
        'before applying BedrockCustomerManagedKey');
    }
    const existing = entry.read(resource);
    if (existing !== undefined && !this.isThisKey(resource, existing)) {
      throw new BedrockEncryptionError(
        `${entry.cfnType} at '${resource.node.path}': ${entry.keyProperty} is already set to another key ` +
        `(${JSON.stringify(Stack.of(resource).resolve(existing))}); remove it or apply BedrockCustomerManagedKey with that key`);
    }
    new PropsValidator(resource, `BedrockCustomerManagedKey on ${entry.cfnType}`).kmsKey('key', this.key).throwIfInvalid();

    const statements = this.statementsFor(entry, resource);
    // The key first: an L1 too old to render the property throws here, before the key policy changes.
    if (existing === undefined) entry.write(resource, this.key.keyArn);
    if (this.fixedBedrockKey) {
      this.fixedBedrockKey.addStatements(...statements);
    } else {
      writeKeyPolicy(this.key, statements, { scope: resource, subject: `the ${entry.cfnType} '${resource.node.path}'` });
    }
    if (existing !== undefined) warnUnconditionedL2KeyGrants(resource, existing);
  }

  private statementsFor(entry: EncryptableResource, resource: CfnResource): iam.PolicyStatement[] {
    const deploymentRole = deployingRoleArn(resource, this.deploymentRole?.roleArn);
    return entry.keyPolicyStatements(resource, {
      scope: PolicyScopes.of(resource),
      keyCreators: this.keyCreators,
      keyUsers: this.keyUsers,
      deploymentRole: deploymentRole !== undefined ? new iam.ArnPrincipal(deploymentRole) : undefined,
    });
  }

  /** True when `value` names this key, by ARN or id, as the same string or the same CloudFormation expression. */
  private isThisKey(resource: CfnResource, value: string): boolean {
    const candidates = [this.key.keyArn, this.key.keyId];
    if (candidates.includes(value)) return true;
    const stack = Stack.of(resource);
    const resolved = JSON.stringify(stack.resolve(value));
    return candidates.some((c) => JSON.stringify(stack.resolve(c)) === resolved);
  }
}
