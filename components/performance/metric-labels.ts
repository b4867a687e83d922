import type { QuickmarkMetric } from "@/lib/performance/metrics";

/** Human names for quick_mark metrics; units come from the field names (see the catalog). */
export const METRIC_LABELS: Record<QuickmarkMetric, { label: string; unit: string }> = {
  bf16_tflops: { label: "BF16", unit: "TFLOPS" },
  fp16_tflops: { label: "FP16", unit: "TFLOPS" },
  fp32_tflops: { label: "FP32", unit: "TFLOPS" },
  fp32_cuda_core_tflops: { label: "FP32 CUDA core", unit: "TFLOPS" },
  mixed_precision_tflops: { label: "Mixed precision", unit: "TFLOPS" },
  memory_bandwidth_gbs: { label: "Memory bandwidth", unit: "GB/s" },
  l2_bandwidth_gbs: { label: "L2 bandwidth", unit: "GB/s" },
  host_to_device_bandwidth_gbs: { label: "Host→device", unit: "GB/s" },
  device_to_host_bandwidth_gbs: { label: "Device→host", unit: "GB/s" },
  kernel_launch_overhead_us: { label: "Kernel launch overhead", unit: "µs" },
  power_consumption_watts: { label: "Power", unit: "W" },
  temperature_centigrade: { label: "Temperature", unit: "°C" },
};

export const formatNumber = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: digits });
export const formatPercent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(1)}%`;
