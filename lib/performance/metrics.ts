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

/** The metrics whose shortfall makes a node underperforming (PRODUCT.md). Higher is better. */
export const KEY_METRICS: readonly QuickmarkMetric[] = ["bf16_tflops", "fp16_tflops", "memory_bandwidth_gbs"];

export function performanceThreshold(): number {
  const v = Number(process.env.PERFORMANCE_THRESHOLD ?? 0.9);
  return Number.isFinite(v) && v > 0 && v <= 1 ? v : 0.9;
}

/** Fleet distribution is trusted as the reference once a GPU model has this many samples. */
export function fleetMinSamples(): number {
  const v = Number(process.env.PERFORMANCE_FLEET_MIN_SAMPLES ?? 10);
  return Number.isInteger(v) && v > 0 ? v : 10;
}

/**
 * Per-GPU values of a node's quick_mark result: the mean over its GPUs. A `--device cpu`
 * smoke run measures a CPU with tiny sizes: it has no values to score (status unknown).
 */
export function perGpuValues(results: unknown): MetricValues {
  const r = (results ?? {}) as { test_results?: Record<string, unknown>[]; aggregate_results?: Record<string, unknown>; gpu_count?: number; device?: unknown };
  const out: MetricValues = {};
  if (r.device === "cpu") return out;
  const rows = Array.isArray(r.test_results) ? r.test_results : [];
  for (const m of QUICKMARK_METRICS) {
    const values = rows.map((row) => row?.[m]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (values.length) out[m] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return out;
}
