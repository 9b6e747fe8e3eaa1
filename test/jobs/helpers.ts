import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** Logical ids each resource depends on: Ref, Fn::GetAtt, Fn::Sub references and DependsOn. */
function dependencies(resource: any): Set<string> {
  const found = new Set<string>();
  const walk = (v: any): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, arg] of Object.entries(v)) {
      if (k === 'Ref' && typeof arg === 'string' && !arg.startsWith('AWS::')) {found.add(arg);} else if (k === 'Fn::GetAtt') {found.add((arg as any[])[0]);} else if (k === 'Fn::Sub') {
        const text = Array.isArray(arg) ? arg[0] : arg;
        for (const m of String(text).matchAll(/\$\{([^}.]+)(\.[^}]+)?\}/g)) if (!m[1].startsWith('AWS::')) found.add(m[1]);
        walk(arg);
      } else {walk(arg);}
    }
  };
  walk(resource.Properties);
  for (const d of [resource.DependsOn ?? []].flat()) found.add(d);
  return found;
}

/** Throws when the stack's resources reference each other in a cycle; returns the resource count. */
export function expectNoCycles(stack: Stack): number {
  const resources: Record<string, any> = Template.fromStack(stack).toJSON().Resources;
  const graph = new Map(Object.entries(resources).map(([id, r]) => [id, [...dependencies(r)].filter((d) => d in resources)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`dependency cycle: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    graph.get(id)!.forEach((d) => visit(d, [...path, id]));
    state.set(id, 'done');
  };
  graph.forEach((_, id) => visit(id, []));
  return graph.size;
}
