import { findBenchmark } from "../benchmarks/catalog";

/**
 * Compact results: the result without its bulky detail arrays (quick_mark's per-GPU
 * test_results, cluster_network's per-link measurements), as the catalog declares them.
 */
export function compactResults(benchmarkId: string, results: unknown): unknown {
  const detail = findBenchmark(benchmarkId)?.detail_fields ?? [];
  if (!detail.length || !results || typeof results !== "object" || Array.isArray(results)) return results;
  return Object.fromEntries(Object.entries(results).filter(([k]) => !detail.includes(k)));
}

/** Applies compactResults to a serialized result ({benchmark_id, results, …}). */
export function compactSerialized<T extends { benchmark_id: string; results: unknown }>(r: T, compact: boolean): T {
  return compact ? { ...r, results: compactResults(r.benchmark_id, r.results) } : r;
}
