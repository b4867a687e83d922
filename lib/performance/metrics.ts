import { env } from "../config/env";

/** quick_mark metrics as measured per GPU (units in the names; see the catalog). */
export const QUICKMARK_METRICS = [
  "bf16_tflops",
  "fp16_tflops",
  "fp32_tflops",
  "fp32_cuda_core_tflops",
  "mixed_precision_tflops",
  "memory_bandwidth_gbs",
  "l2_bandwidth_gbs",
  "host_to_device_bandwidth_gbs",
  "device_to_host_bandwidth_gbs",
  "kernel_launch_overhead_us",
  "power_consumption_watts",
  "temperature_centigrade",
] as const;
export type QuickmarkMetric = (typeof QUICKMARK_METRICS)[number];
export type MetricValues = Partial<Record<QuickmarkMetric, number>>;

/** The metrics whose shortfall makes a node underperforming (docs/performance-budget.md). Higher is better. */
export const KEY_METRICS: readonly QuickmarkMetric[] = ["bf16_tflops", "fp16_tflops", "memory_bandwidth_gbs"];

export function performanceThreshold(): number {
  return env("PERFORMANCE_THRESHOLD");
}

/** Fleet distribution is trusted as the reference once a GPU model has this many samples. */
export function fleetMinSamples(): number {
  return env("PERFORMANCE_FLEET_MIN_SAMPLES");
}

/**
 * Each GPU's figures from a node's quick_mark `test_results[]`, by its `gpu_index` (SiliconMark's
 * `gpu_id`; else its position). A `--device cpu` smoke run measures a CPU with tiny sizes: it
 * has no GPU figures to score (status unknown).
 */
export function perGpuRows(results: unknown): { index: number; values: MetricValues }[] {
  const r = (results ?? {}) as { test_results?: Record<string, unknown>[]; device?: unknown };
  if (r.device === "cpu") return [];
  const rows = Array.isArray(r.test_results) ? r.test_results : [];
  return rows.map((row, i) => {
    const values: MetricValues = {};
    for (const m of QUICKMARK_METRICS) {
      const v = row?.[m];
      if (typeof v === "number" && Number.isFinite(v)) values[m] = v;
    }
    const index = typeof row?.gpu_index === "number" ? row.gpu_index : typeof row?.gpu_id === "number" ? row.gpu_id : i;
    return { index, values };
  });
}

/** Per-GPU values of a node's quick_mark result: the mean over its GPUs. */
export function perGpuValues(results: unknown): MetricValues {
  const rows = perGpuRows(results);
  const out: MetricValues = {};
  for (const m of QUICKMARK_METRICS) {
    const values = rows.map((row) => row.values[m]).filter((v): v is number => v !== undefined);
    if (values.length) out[m] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return out;
}

/** The own-history test's settings (README "Performance verdicts"). */
export function historySettings() {
  return {
    /** Runs of the same machine and GPU model the test compares against. */
    window: env("PERFORMANCE_HISTORY_RUNS"),
    /** Fewer earlier runs than this: no history verdict yet. */
    minRuns: env("PERFORMANCE_HISTORY_MIN_RUNS"),
    /** Modified z-score at or below −z flags a drop as significant. */
    z: env("PERFORMANCE_HISTORY_Z"),
    /** …and only when the value is also at least this fraction below the baseline median. */
    minDrop: env("PERFORMANCE_HISTORY_MIN_DROP"),
  };
}
export type HistorySettings = ReturnType<typeof historySettings>;

/** The fleet band's window per GPU model: the last `runs` scored nodes within `days`. */
export function fleetWindow() {
  return {
    days: env("PERFORMANCE_FLEET_WINDOW_DAYS"),
    runs: env("PERFORMANCE_FLEET_WINDOW_RUNS"),
  };
}

/** Per-GPU values stored on a scored task's performance (`metrics.<m>.value`). */
export function storedMetricValues(
  performance: unknown,
  which: readonly QuickmarkMetric[] = QUICKMARK_METRICS,
): MetricValues {
  const metrics = (performance as { metrics?: Record<string, { value?: unknown } | undefined> } | null)?.metrics;
  const out: MetricValues = {};
  if (!metrics || typeof metrics !== "object") return out;
  for (const m of which) {
    const v = metrics[m]?.value;
    if (typeof v === "number" && Number.isFinite(v)) out[m] = v;
  }
  return out;
}
