/**
 * Compares what two templates of the same app hold: their resources and the statements of their
 * key, identity, trust, bucket and topic policies. Used where the same app is built another way:
 * by hand (test/bench/baselines.test.ts) or from Python and Java (test/bindings/templates.test.ts).
 */
import { normalize } from './statements';

/** A template's `Resources`. */
export type Resources = Record<string, any>;

/** Where each resource type keeps its policy document. */
export const POLICY_PROPERTY: Record<string, string> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::Role': 'AssumeRolePolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
};

/** Every resource as `<logical id> <type>`, sorted; the CDK's metadata resource left out. */
export const resourcesOf = (resources: Resources) => Object.entries(resources)
  .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
  .map(([id, r]) => `${id} ${r.Type}`)
  .sort();

/** How a statement is compared. */
export type StatementForm = (statement: any) => string;

/** Effect, actions and condition keys: what a statement allows, without how its values render. */
export const permissionOf: StatementForm = (s) => {
  const actions = [s.Action].flat().sort().join(',');
  const conditions = Object.entries<any>(s.Condition ?? {}).flatMap(([op, block]) => Object.keys(block).map((k) => `${op}:${k}`)).sort().join(',');
  return `${s.Effect} ${actions} [${conditions}]`;
};

/** The whole statement, values included, in a form where AWS's printing choices do not matter (no Sid, lists sorted). */
export const wholeStatement: StatementForm = (s) => JSON.stringify(normalize(s));

/** Per resource with a policy, each statement in `form`, sorted. */
export function policyStatementsOf(resources: Resources, form: StatementForm = permissionOf): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, r] of Object.entries(resources)) {
    const property = POLICY_PROPERTY[r.Type];
    if (!property) continue;
    const statements: any[] = [r.Properties?.[property]?.Statement ?? []].flat();
    out[id] = statements.map(form).sort();
  }
  return out;
}

/** A logical id without the 8-digit hash aws-cdk-lib appends to a construct path's ids. */
export const withoutHash = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

/** A template's resources and outputs, as {@link comparableTemplate} returns them. */
export interface ComparableTemplate {
  readonly Resources: Resources;
  readonly Outputs: Record<string, any>;
}

/**
 * The template's resources and outputs without what may differ between two synths of the same app
 * in another language: metadata (`Metadata`, `AWS::CDK::Metadata`, its condition), and the hashes of
 * logical ids, in keys and in every reference (`Ref`, `Fn::GetAtt`, `DependsOn`).
 */
export function comparableTemplate(template: any): ComparableTemplate {
  const ids = Object.keys(template.Resources ?? {}).filter((id) => template.Resources[id].Type !== 'AWS::CDK::Metadata');
  const renamed = new Map(ids.map((id) => [id, withoutHash(id)]));
  if (new Set(renamed.values()).size !== ids.length) throw new Error('two logical ids differ only by their hash');
  const rename = (value: any): any => {
    if (Array.isArray(value)) return value.map(rename);
    if (!value || typeof value !== 'object') return value;
    if (typeof value.Ref === 'string' && renamed.has(value.Ref)) return { Ref: renamed.get(value.Ref) };
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && renamed.has(getAtt[0])) return { 'Fn::GetAtt': [renamed.get(getAtt[0]), ...getAtt.slice(1)] };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
  };
  const resources = Object.fromEntries(ids.map((id) => {
    const { Metadata, DependsOn, ...rest } = template.Resources[id];
    const dependsOn = DependsOn === undefined ? {} : { DependsOn: [DependsOn].flat().map((d: string) => renamed.get(d) ?? d).sort() };
    return [renamed.get(id)!, { ...rename(rest), ...dependsOn }];
  }));
  const outputs = Object.fromEntries(Object.entries<any>(template.Outputs ?? {}).map(([id, o]) => [withoutHash(id), rename(o)]));
  return { Resources: resources, Outputs: outputs };
}

/** The resources of {@link comparableTemplate}. */
export const comparableResources = (template: any): Resources => comparableTemplate(template).Resources;
