import { findBenchmark } from "../benchmarks/catalog";
import { ValidationError } from "../api/errors";
import { validationError } from "../api/parse";
import type { BenchmarkStep } from "./serialize";

type BenchmarkItem = string | { benchmark_id: string; config?: Record<string, unknown> | null };

/** Stable JSON for comparing configs regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Turns the request's `benchmarks` into the stored sequence: ids checked against the
 * catalog, configs validated by each benchmark's schema (empty config = null), duplicates
 * (same id and config) refused, and quick_mark always present and first.
 */
export function buildBenchmarkSequence(items: BenchmarkItem[]): BenchmarkStep[] {
  const steps: BenchmarkStep[] = items.map((item) => {
    const id = typeof item === "string" ? item.trim() : item.benchmark_id;
    const rawConfig = typeof item === "string" ? null : (item.config ?? null);
    const def = findBenchmark(id);
    if (!def) throw new ValidationError(`Benchmark '${id}' not found`);
    let config: Record<string, unknown> | null = null;
    if (rawConfig && Object.keys(rawConfig).length > 0) {
      const parsed = def.config.safeParse(rawConfig);
      if (!parsed.success) {
        const err = validationError(parsed.error);
        throw new ValidationError(`Invalid config for benchmark '${id}': ${err.message}`, err.details);
      }
      config = parsed.data as Record<string, unknown>;
    }
    return { benchmark_id: id, config };
  });
  const seen = new Set<string>();
  for (const s of steps) {
    const key = `${s.benchmark_id}\u0000${canonical(s.config)}`;
    if (seen.has(key)) throw new ValidationError(`Benchmark '${s.benchmark_id}' is listed twice with the same config`);
    seen.add(key);
  }
  const quick = steps.filter((s) => s.benchmark_id === "quick_mark");
  const rest = steps.filter((s) => s.benchmark_id !== "quick_mark");
  return [...(quick.length ? quick : [{ benchmark_id: "quick_mark", config: null }]), ...rest];
}
