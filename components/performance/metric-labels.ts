import { findBenchmark } from "@/lib/benchmarks/catalog";
import type { QuickmarkMetric } from "@/lib/performance/metrics";

/** Short names for quick_mark metrics on the Performance page (the catalog's display names are longer). */
const SHORT_LABELS: Record<QuickmarkMetric, string> = {
  bf16_tflops: "BF16",
  fp16_tflops: "FP16",
  fp32_tflops: "FP32",
  fp32_cuda_core_tflops: "FP32 CUDA core",
  mixed_precision_tflops: "Mixed precision",
  memory_bandwidth_gbs: "Memory bandwidth",
  l2_bandwidth_gbs: "L2 bandwidth",
  host_to_device_bandwidth_gbs: "Host→device",
  device_to_host_bandwidth_gbs: "Device→host",
  kernel_launch_overhead_us: "Kernel launch overhead",
  power_consumption_watts: "Power",
  temperature_centigrade: "Temperature",
};

// Units have one home, the benchmark catalog.
const quickMarkFields = new Map((findBenchmark("quick_mark")?.result_fields ?? []).map((f) => [f.key, f]));

export const METRIC_LABELS = Object.fromEntries(
  (Object.keys(SHORT_LABELS) as QuickmarkMetric[]).map((m) => [
    m,
    { label: SHORT_LABELS[m], unit: quickMarkFields.get(m)?.unit ?? "" },
  ]),
) as Record<QuickmarkMetric, { label: string; unit: string }>;

export const formatNumber = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits });
export const formatPercent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(1)}%`;
