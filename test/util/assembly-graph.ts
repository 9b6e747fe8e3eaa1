import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/**
 * The references in a cloud assembly, read from its templates: within each stack, between
 * resources (Ref, Fn::GetAtt, Fn::Sub and DependsOn); across stacks, through Fn::ImportValue of
 * another stack's export and the assembly's stack dependencies. Used to prove a layout has no cycle.
 */
export interface AssemblyGraph {
  /** `stack` -> the stacks it needs deployed first. */
  readonly stacks: Map<string, Set<string>>;
  /** `stack/logicalId` -> the resources of the same stack it references or depends on. */
  readonly resources: Map<string, Set<string>>;
}

export function assemblyGraph(assembly: CloudAssembly): AssemblyGraph {
  const exporters = new Map<string, string>();
  for (const stack of assembly.stacks) {
    for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
      const name = output.Export?.Name;
      if (typeof name === 'string') exporters.set(name, stack.stackName);
    }
  }
  const stacks = new Map<string, Set<string>>();
  const resources = new Map<string, Set<string>>();
  for (const stack of assembly.stacks) {
    const needs = new Set<string>(stack.dependencies.filter((d) => assembly.stacks.some((s) => s.id === d.id))
      .map((d) => assembly.getStackArtifact(d.id).stackName));
    walk(stack.template.Resources, (fn, arg) => {
      if (fn !== 'Fn::ImportValue') return;
      const exporter = exporters.get(arg);
      if (exporter === undefined) throw new Error(`${stack.stackName} imports ${JSON.stringify(arg)}, which no stack exports`);
      needs.add(exporter);
    });
    for (const [id, refs] of templateGraph(stack.template)) {
      resources.set(`${stack.stackName}/${id}`, new Set([...refs].map((r) => `${stack.stackName}/${r}`)));
    }
    stacks.set(stack.stackName, needs);
  }
  return { stacks, resources };
}

/** Within one template: logical id -> the resources it references (Ref, Fn::GetAtt, Fn::Sub) or depends on. */
export function templateGraph(template: any): Map<string, Set<string>> {
  const resources: Record<string, any> = template.Resources ?? {};
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const refs = new Set<string>([resource.DependsOn ?? []].flat());
    walk(resource.Properties, (fn, arg) => {
      if (fn === 'Ref') refs.add(arg);
      if (fn === 'Fn::GetAtt') refs.add(Array.isArray(arg) ? arg[0] : String(arg).split('.')[0]);
      if (fn === 'Fn::Sub') {
        const text = Array.isArray(arg) ? arg[0] : arg;
        for (const [, name] of String(text).matchAll(/\$\{([^}.!]+)/g)) refs.add(name);
      }
    });
    graph.set(id, new Set([...refs].filter((r) => r in resources)));
  }
  return graph;
}

/** Throws when the stack's resources reference each other in a cycle; returns the resource count. */
export function expectNoCycles(stack: Stack): number {
  const graph = templateGraph(Template.fromStack(stack).toJSON());
  const cycle = findCycle(graph);
  if (cycle) throw new Error(`dependency cycle: ${cycle.join(' -> ')}`);
  return graph.size;
}

/** A cycle in `graph`, as the nodes on it, or undefined. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function walk(value: unknown, visit: (fn: string, arg: any) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v) => walk(v, visit));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' || k.startsWith('Fn::')) visit(k, v);
      walk(v, visit);
    }
  }
}
