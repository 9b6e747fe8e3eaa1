import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers of src/ as folders: data flows one way, constructs -> mixins -> wiring -> policy.
 * Read from the import statements themselves, so a new import that breaks a rule fails here.
 */
const SRC = path.resolve(__dirname, '..', '..', 'src');
const FEATURES = ['agentcore', 'agent', 'flow', 'knowledge-base', 'jobs', 'monitoring'];

/** folder -> the set of other src folders it imports. */
function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const folder of fs.readdirSync(SRC).filter((f) => fs.statSync(path.join(SRC, f)).isDirectory())) {
    const edges = new Set<string>();
    for (const file of fs.readdirSync(path.join(SRC, folder)).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(SRC, folder, file), 'utf-8');
      for (const [, spec] of text.matchAll(/^import [^;]*? from '(\.[^']*)';/gms)) {
        const target = path.relative(SRC, path.resolve(SRC, folder, spec)).split(path.sep)[0];
        if (target !== folder && fs.existsSync(path.join(SRC, target)) && fs.statSync(path.join(SRC, target)).isDirectory()) edges.add(target);
      }
    }
    graph.set(folder, edges);
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const walk = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'visiting') return [...trail.slice(trail.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) {
      const cycle = walk(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = walk(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('layers of src/', () => {
  const graph = folderImports();

  test('the graph is read', () => {
    expect(graph.get('agent')).toContain('policy');
  });

  test('no folder-level import cycle', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  test('the cycle finder finds one', () => {
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
  });

  test.each(FEATURES)('%s imports no other feature folder', (feature) => {
    expect([...graph.get(feature)!].filter((f) => FEATURES.includes(f))).toEqual([]);
  });

  test('policy/ imports nothing else of the library', () => {
    expect([...graph.get('policy')!]).toEqual([]);
  });

  test('wiring/ imports only policy/ and private/', () => {
    expect([...graph.get('wiring')!].filter((f) => !['policy', 'private'].includes(f))).toEqual([]);
  });
});
