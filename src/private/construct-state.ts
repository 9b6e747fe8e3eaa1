import { IConstruct } from 'constructs';

/**
 * State the library keeps on a construct, under a `Symbol.for` key: every copy of the library an
 * app loads (two versions in one `node_modules`) finds the same state, which module-level
 * `WeakMap`s would keep apart, and the state goes with the construct tree.
 */
function keyOf(name: string): symbol {
  return Symbol.for(`cdk-bedrock-encryption.${name}`);
}

/** The state `name` of `construct`, created by `init` the first time. */
export function stateOf<T>(construct: IConstruct, name: string, init: () => T): T {
  const existing = peekState<T>(construct, name);
  if (existing !== undefined) return existing;
  const value = init();
  Object.defineProperty(construct, keyOf(name), { value, enumerable: false, writable: false, configurable: false });
  return value;
}

/** The state `name` of `construct`, or undefined when it has none. */
export function peekState<T>(construct: IConstruct, name: string): T | undefined {
  return (construct as unknown as Record<symbol, T | undefined>)[keyOf(name)];
}
