/**
 * A process-wide singleton. Next.js bundles each route separately, so module-level state
 * (counters, registries, connections) would be duplicated per route; globalThis is shared.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const g = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(`benchboard.${name}`);
  if (!(key in g)) g[key] = create();
  return g[key] as T;
}
