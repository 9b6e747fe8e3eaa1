/**
 * Resolves CloudFormation intrinsics in a template value (`Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Select`, `Fn::Split`, `Fn::Sub`, `Fn::ImportValue`) with the values a caller gives for
 * references, attributes and imports: the one walker behind the tests' stand-in ARNs.
 */
export interface IntrinsicValues {
  /** The value of `{ Ref: name }` (a pseudo parameter, a resource, a parameter). */
  ref(name: string): any;
  /** The value of `{ 'Fn::GetAtt': [id, attribute] }`. */
  attribute(id: string, attribute: string): any;
  /** The value of `{ 'Fn::ImportValue': name }`. */
  importValue(name: string): any;
  /**
   * What an intrinsic this walker does not know resolves to, or a list that `Fn::Join` cannot
   * join. Without it, an unknown function's object is resolved field by field, and such a join throws.
   */
  unknown?(fn: string, arg: any): any;
}

export function resolveIntrinsics(value: any, values: IntrinsicValues): any {
  const resolve = (v: any): any => resolveIntrinsics(v, values);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Ref': return values.ref(arg);
      case 'Fn::GetAtt': return values.attribute(arg[0], arg[1]);
      case 'Fn::Join': {
        const parts = resolve(arg[1]);
        if (!Array.isArray(parts) && values.unknown) return values.unknown(fn, arg);
        return (parts as any[]).join(arg[0]);
      }
      case 'Fn::Select': {
        const list = resolve(arg[1]);
        if (!Array.isArray(list) && values.unknown) return values.unknown(fn, arg);
        return list[Number(resolve(arg[0]))];
      }
      case 'Fn::Split': return String(resolve(arg[1])).split(arg[0]);
      case 'Fn::Sub': return sub(arg, values);
      case 'Fn::ImportValue': return values.importValue(arg);
      default:
        if (values.unknown) return values.unknown(fn, arg);
        break;
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(value[k])]));
}

function sub(arg: any, values: IntrinsicValues): string {
  const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
  return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
    if (vars[name] !== undefined) return String(resolveIntrinsics(vars[name], values));
    const [id, attr] = name.split('.');
    return String(attr ? values.attribute(id, attr) : values.ref(id));
  });
}

/** The stand-in value of a pseudo parameter (`AWS::Partition`, ...) in the aws partition, or undefined for any other name. */
export function pseudoParameter(name: string, env: { account: string; region: string; stackName?: string }): string | undefined {
  switch (name) {
    case 'AWS::Partition': return 'aws';
    case 'AWS::Region': return env.region;
    case 'AWS::AccountId': return env.account;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return env.stackName;
    default: return undefined;
  }
}
