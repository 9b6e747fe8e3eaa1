import { Annotations, CfnResource, IAspect, Stage } from 'aws-cdk-lib';
import { IConstruct, IValidation } from 'constructs';
import { Finding } from './finding';
import { ResolvedResource } from './resolved-resource';
import { INSPECTED_TYPES, runRules } from './rule-checks';
import { BedrockEncryptionRules, CheckLevel } from './rules';
import { peekState, stateOf } from '../private/construct-state';
import { BedrockEncryptionError } from '../private/validation';

/** Properties of {@link BedrockEncryptionChecks}. */
export interface BedrockEncryptionChecksProps {
  /**
   * How findings are reported.
   *
   * @default CheckLevel.ERROR
   */
  readonly level?: CheckLevel;
}

/** Template metadata key under which suppressions are recorded on each CloudFormation resource. */
const SUPPRESSION_METADATA = 'cdk_bedrock_encryption';

/** The state of a construct that holds its suppressions: rule id -> reason. Apply to the construct and everything under it. */
const SUPPRESSIONS = 'ruleSuppressions';

function suppressionsOf(construct: IConstruct): Map<string, string> | undefined {
  return peekState<Map<string, string>>(construct, SUPPRESSIONS);
}

/**
 * An aspect that checks every CloudFormation resource in its scope, built with this library or
 * not, for Bedrock encryption problems: see {@link BedrockEncryptionRules} for the rules.
 *
 * Checks run when the app synthesizes, after all aspects and escape hatches (property overrides
 * count), during construct validation: `app.synth({ skipValidation: true })` skips them. They
 * only read the app and report: the template is the same with or without them. Each
 * finding is an annotation on the offending resource whose message starts with `[<rule id>]`;
 * one per resource and rule, however often the aspect is added. With `CheckLevel.WARNING` the
 * rule id is the warning's acknowledgement id.
 *
 * @example
 * Aspects.of(app).add(new BedrockEncryptionChecks({ level: CheckLevel.WARNING }));
 */
export class BedrockEncryptionChecks implements IAspect {
  /**
   * Suppresses one rule for `construct` and every resource under it, now or added later.
   * The reason is recorded in each resource's template metadata under
   * `cdk_bedrock_encryption.rules_to_suppress`.
   *
   * @param construct the construct (an L1, L2 or L3, or a whole stack)
   * @param ruleId a rule id from {@link BedrockEncryptionRules}
   * @param reason why the finding is acceptable; must not be blank
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const problems: string[] = [];
    if (!BedrockEncryptionRules.all().includes(ruleId)) {
      problems.push(`ruleId must be one of ${BedrockEncryptionRules.all().join(', ')}; got ${JSON.stringify(ruleId)}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      problems.push(`reason must be a non-blank explanation of why the finding is acceptable; got ${JSON.stringify(reason)}`);
    }
    if (problems.length > 0) {
      throw new BedrockEncryptionError(`BedrockEncryptionChecks.suppress at '${construct.node.path}': ${problems.join('; ')}`);
    }
    stateOf(construct, SUPPRESSIONS, () => new Map<string, string>()).set(ruleId, reason.trim());
    for (const child of construct.node.findAll()) {
      if (CfnResource.isCfnResource(child)) recordSuppression(child, ruleId, reason.trim());
    }
  }

  private readonly level: CheckLevel;

  constructor(props: BedrockEncryptionChecksProps = {}) {
    this.level = props.level ?? CheckLevel.ERROR;
  }

  /**
   * Registers each CloudFormation resource the rules read for checking at synthesis, and records
   * in its template metadata the suppressions of its scopes (a resource added after `suppress`).
   * Aspects run before validation, so the template is the same whether validation runs or not.
   */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    for (const scope of node.node.scopes) {
      for (const [ruleId, reason] of suppressionsOf(scope) ?? []) recordSuppression(node, ruleId, reason);
    }
    if (!INSPECTED_TYPES.has(node.cfnResourceType)) return;
    CheckRun.of(node).add(node, this.level);
  }
}

/**
 * The resources of one stage (or construct tree) to check, and the findings already reported.
 * Shared by every BedrockEncryptionChecks aspect in that stage; runs as a validation of the
 * stage, so it sees the final state of every resource.
 */
class CheckRun implements IValidation {
  public static of(node: IConstruct): CheckRun {
    const owner: IConstruct = Stage.of(node) ?? node.node.root;
    return stateOf(owner, 'checkRun', () => {
      const run = new CheckRun();
      owner.node.addValidation(run);
      return run;
    });
  }

  /** Resource -> the strictest level any aspect asked for. */
  private readonly levels = new Map<CfnResource, CheckLevel>();
  private readonly reported = new Set<string>();

  public add(resource: CfnResource, level: CheckLevel): void {
    if (this.levels.get(resource) !== CheckLevel.ERROR) this.levels.set(resource, level);
  }

  public validate(): string[] {
    const resolved = [...this.levels.keys()]
      .map((r) => ResolvedResource.of(r))
      .filter((r): r is ResolvedResource => r !== undefined);
    for (const f of runRules(resolved, { isSuppressed })) this.report(f);
    return [];
  }

  private report(f: Finding): void {
    const key = `${f.resource.node.path}\u0000${f.ruleId}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (isSuppressed(f.resource, f.ruleId)) return;
    if (f.warning || this.levels.get(f.resource) === CheckLevel.WARNING) {
      Annotations.of(f.resource).addWarningV2(f.ruleId, f.message);
    } else {
      Annotations.of(f.resource).addError(f.message);
    }
  }
}

/**
 * True when the resource, an ancestor, or the resource's own template metadata suppresses the
 * rule. Reads only: the metadata is written by `suppress` and the aspect's visit.
 */
function isSuppressed(resource: CfnResource, ruleId: string): boolean {
  if (resource.node.scopes.some((scope) => suppressionsOf(scope)?.has(ruleId))) return true;
  return suppressionsIn(resource).some((s) => s.id === ruleId && typeof s.reason === 'string' && s.reason.trim() !== '');
}

interface SuppressionEntry { readonly id: string; readonly reason: string }

function suppressionsIn(resource: CfnResource): SuppressionEntry[] {
  const entries = resource.getMetadata(SUPPRESSION_METADATA)?.rules_to_suppress;
  return Array.isArray(entries) ? entries : [];
}

function recordSuppression(resource: CfnResource, ruleId: string, reason: string): void {
  const entries = suppressionsIn(resource).filter((s) => s.id !== ruleId);
  resource.addMetadata(SUPPRESSION_METADATA, {
    ...(resource.getMetadata(SUPPRESSION_METADATA) ?? {}),
    rules_to_suppress: [...entries, { id: ruleId, reason }],
  });
}
