import type { MetricValues } from "./metrics";

/**
 * Shipped per-GPU references: what a healthy GPU of the model achieves on quick_mark.
 * Used until the fleet has enough samples of a model to be its own reference. Figures are
 * sustained, measured-scale values (e.g. H100 NVL bf16 452 TFLOPS, 3254 GB/s), not
 * datasheet peaks, so a healthy node scores ~1.0.
 */
const SPECS: { match: RegExp; model: string; values: MetricValues }[] = [
  { match: /H100.*NVL/i, model: "NVIDIA H100 NVL", values: { bf16_tflops: 452, fp16_tflops: 455, fp32_tflops: 228, fp32_cuda_core_tflops: 51, mixed_precision_tflops: 440, memory_bandwidth_gbs: 3254, l2_bandwidth_gbs: 8900, host_to_device_bandwidth_gbs: 52, device_to_host_bandwidth_gbs: 52, kernel_launch_overhead_us: 2.4, power_consumption_watts: 357, temperature_centigrade: 62 } },
  { match: /H100.*PCIe/i, model: "NVIDIA H100 PCIe", values: { bf16_tflops: 378, fp16_tflops: 380, fp32_tflops: 190, fp32_cuda_core_tflops: 42, mixed_precision_tflops: 370, memory_bandwidth_gbs: 1780, l2_bandwidth_gbs: 7400, host_to_device_bandwidth_gbs: 52, device_to_host_bandwidth_gbs: 52, kernel_launch_overhead_us: 2.5, power_consumption_watts: 310, temperature_centigrade: 65 } },
  { match: /H100/i, model: "NVIDIA H100 80GB HBM3", values: { bf16_tflops: 620, fp16_tflops: 625, fp32_tflops: 310, fp32_cuda_core_tflops: 55, mixed_precision_tflops: 600, memory_bandwidth_gbs: 2950, l2_bandwidth_gbs: 9800, host_to_device_bandwidth_gbs: 53, device_to_host_bandwidth_gbs: 53, kernel_launch_overhead_us: 2.3, power_consumption_watts: 640, temperature_centigrade: 64 } },
  { match: /H200/i, model: "NVIDIA H200", values: { bf16_tflops: 640, fp16_tflops: 645, fp32_tflops: 320, fp32_cuda_core_tflops: 56, mixed_precision_tflops: 620, memory_bandwidth_gbs: 4300, l2_bandwidth_gbs: 10200, host_to_device_bandwidth_gbs: 54, device_to_host_bandwidth_gbs: 54, kernel_launch_overhead_us: 2.3, power_consumption_watts: 660, temperature_centigrade: 63 } },
  { match: /B200/i, model: "NVIDIA B200", values: { bf16_tflops: 1450, fp16_tflops: 1450, fp32_tflops: 720, fp32_cuda_core_tflops: 72, mixed_precision_tflops: 1400, memory_bandwidth_gbs: 6900, l2_bandwidth_gbs: 16000, host_to_device_bandwidth_gbs: 55, device_to_host_bandwidth_gbs: 55, kernel_launch_overhead_us: 2.2, power_consumption_watts: 950, temperature_centigrade: 66 } },
  { match: /A100.*80GB/i, model: "NVIDIA A100-SXM4-80GB", values: { bf16_tflops: 232, fp16_tflops: 236, fp32_tflops: 118, fp32_cuda_core_tflops: 18.5, mixed_precision_tflops: 225, memory_bandwidth_gbs: 1790, l2_bandwidth_gbs: 4600, host_to_device_bandwidth_gbs: 25, device_to_host_bandwidth_gbs: 25, kernel_launch_overhead_us: 2.8, power_consumption_watts: 380, temperature_centigrade: 61 } },
  { match: /A100/i, model: "NVIDIA A100-SXM4-40GB", values: { bf16_tflops: 225, fp16_tflops: 229, fp32_tflops: 114, fp32_cuda_core_tflops: 18.2, mixed_precision_tflops: 218, memory_bandwidth_gbs: 1384, l2_bandwidth_gbs: 4400, host_to_device_bandwidth_gbs: 24.5, device_to_host_bandwidth_gbs: 24.5, kernel_launch_overhead_us: 2.9, power_consumption_watts: 330, temperature_centigrade: 60 } },
  { match: /L40S/i, model: "NVIDIA L40S", values: { bf16_tflops: 270, fp16_tflops: 272, fp32_tflops: 136, fp32_cuda_core_tflops: 78, mixed_precision_tflops: 262, memory_bandwidth_gbs: 790, l2_bandwidth_gbs: 5200, host_to_device_bandwidth_gbs: 25, device_to_host_bandwidth_gbs: 25, kernel_launch_overhead_us: 2.6, power_consumption_watts: 340, temperature_centigrade: 67 } },
];

export function vendorSpec(gpuModel: string | null | undefined): { model: string; values: MetricValues } | null {
  if (!gpuModel) return null;
  const spec = SPECS.find((s) => s.match.test(gpuModel));
  return spec ? { model: spec.model, values: spec.values } : null;
}

export const KNOWN_GPU_MODELS = SPECS.map((s) => s.model);
