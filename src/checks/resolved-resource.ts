import {
  CfnResource, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, StringConcat, Tokenization,
} from 'aws-cdk-lib';

/**
 * A resource as CloudFormation will see it: properties resolved after escape hatches
 * (`addPropertyOverride`, `addOverride`), plus the CloudFormation resources each property
 * path references.
 */
export class ResolvedResource {
  /**
   * Resolves `resource`, or returns undefined when it does not synthesize or cannot be
   * resolved (synthesis reports that problem itself).
   */
  public static of(resource: CfnResource): ResolvedResource | undefined {
    try {
      const stack = Stack.of(resource);
      const rendered = (resource as any)._toCloudFormation();
      const logicalId = stack.resolve(resource.logicalId);
      const definition = stack.resolve(rendered)?.Resources?.[logicalId];
      if (definition === undefined) return undefined;
      return new ResolvedResource(resource, definition.Properties ?? {}, rendered);
    } catch {
      return undefined;
    }
  }

  private recorded?: RecordedReference[];

  private constructor(
    public readonly resource: CfnResource,
    public readonly properties: Record<string, any>,
    /** The unresolved `_toCloudFormation()` output, resolved again only if references are asked for. */
    private readonly rendered: unknown,
  ) {}

  /** The resolved value at a CloudFormation property path (`['ServerSideEncryptionConfiguration', 'KmsKeyArn']`). */
  public valueAt(path: string[]): any {
    let value: any = this.properties;
    for (const segment of path) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = value[segment];
    }
    return value;
  }

  /**
   * The CloudFormation resources of type `cfnType` referenced (`Ref`, `Fn::GetAtt`, across
   * stacks too) by the final value at a property path. A reference that an override replaced
   * is not counted: the target must still appear in the resolved value.
   */
  public referencedResources(path: string[], cfnType: string): CfnResource[] {
    const wanted = ['properties', ...path.map((s) => s.toLowerCase())];
    const value = this.valueAt(path);
    if (value === undefined) return [];
    const rendered = JSON.stringify(value);
    const found = new Set<CfnResource>();
    for (const { documentPath, target } of this.references) {
      if (!CfnResource.isCfnResource(target) || target.cfnResourceType !== cfnType) continue;
      if (!startsWith(documentPath, wanted)) continue;
      const targetId = Stack.of(target).resolve(target.logicalId);
      if (rendered.includes(targetId) || rendered.includes('Fn::ImportValue')) {
        found.add(target);
      }
    }
    return [...found];
  }

  /** Where each reference in the resource points; recorded on first use (most rules never ask). */
  private get references(): RecordedReference[] {
    if (this.recorded === undefined) {
      const recorder = new ReferenceRecorder();
      try {
        Tokenization.resolve(this.rendered, { scope: this.resource, resolver: recorder, preparing: false });
      } catch {
        // `of` resolved the same value already; a failure here leaves the references unknown.
      }
      this.recorded = recorder.references;
    }
    return this.recorded;
  }
}

interface RecordedReference {
  /** Lower-cased document path below the resource (`['properties', 'kmskeyarn']`). */
  readonly documentPath: string[];
  readonly target: unknown;
}

/** Resolves like CloudFormation would and records which construct each reference points to, and where. */
class ReferenceRecorder extends DefaultTokenResolver {
  public readonly references: RecordedReference[] = [];

  constructor() {
    super(new StringConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (Reference.isReference(t)) {
      // documentPath is ['Resources', <logical id>, 'Properties', ...]; L1 props appear under
      // their TypeScript names and overrides under CloudFormation names, so compare lower-cased.
      this.references.push({ documentPath: context.documentPath.slice(2).map((s) => String(s).toLowerCase()), target: t.target });
    }
    return super.resolveToken(t, context, postProcessor);
  }
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}
