import { datasheetFor, type GpuDatasheet } from "./gpu-datasheets";
import type { MetricValues, QuickmarkMetric } from "./metrics";

/**
 * Shipped per-GPU references: what a healthy GPU of the model achieves on quick_mark, used
 * until the fleet has enough samples of a model to be its own reference. Each value carries
 * its source (see `sources`):
 *
 * - Throughput, memory, PCIe and power: the manufacturer's datasheet figure (gpu-datasheets.ts,
 *   dense Tensor Core rates) × the fraction of it quick_mark's method sustains. That fraction
 *   is MEASURED on a real NVIDIA H200 (test/fixtures/gpu: 768.7 of 989.5 dense BF16 TFLOPS,
 *   4,280 of 4,800 GB/s, …), so the H200's reference is its measurement and a healthy H200
 *   scores 1.0. Other models apply the same fraction to their own datasheet: exact for the
 *   H100 SXM (same die, clocks and 700 W limit), an assumption elsewhere, said per model.
 * - Hopper boards limited to 350–400 W (H100 PCIe, H100 NVL) cannot hold the boost clock their
 *   datasheet peak assumes under a sustained matmul; their compute references take a further,
 *   stated factor.
 * - L2 bandwidth, launch overhead and temperature have no published figure and no valid
 *   measurement yet: the values are estimates, labelled so. None of them is a key metric, so
 *   they never decide whether a node underperforms.
 */

/** One H200 (141 GB HBM3e, driver 580.159.04, CUDA 13.0, PyTorch 2.11), measured 2026-11-29. */
const H200_MEASURED = {
  date: "2026-11-29",
  model: "NVIDIA H200",
  values: {
    bf16_tflops: 768.7,
    fp16_tflops: 741.77,
    fp32_tflops: 398.2,
    fp32_cuda_core_tflops: 48.39,
    mixed_precision_tflops: 651.89,
    memory_bandwidth_gbs: 4280.21,
    host_to_device_bandwidth_gbs: 55.07,
    device_to_host_bandwidth_gbs: 55.28,
    // Board power under the bf16 load, as noted with the measurement (test/fixtures/gpu/README.md);
    // the fixture's own power sample (139 W) was taken before the load ramped up and is not used.
    power_consumption_watts: 680,
  },
  method:
    "8192³ matmuls (4096³ for CUDA-core fp32), 3 warm-up + 20 timed with CUDA events (TF32 on for fp32, off for CUDA-core fp32, fp16 autocast for mixed); 4 GiB device copy counting read + written bytes; 1 GiB pinned host copies; ~680 W board power under the bf16 load",
};

type ScaledMetric = keyof typeof H200_MEASURED.values;

/** PCIe x16 payload rate per direction: signalling rate × 16 lanes × 128b/130b encoding. */
const pcieGbs = (generation: 4 | 5) => ((generation === 4 ? 16 : 32) * 16 * (128 / 130)) / 8;

/** The datasheet figure each scaled metric is a fraction of. */
const DATASHEET_FIGURE: Record<ScaledMetric, { label: string; of: (d: GpuDatasheet) => number }> = {
  bf16_tflops: { label: "dense BF16 Tensor TFLOPS", of: (d) => d.bf16TensorTflops },
  fp16_tflops: { label: "dense FP16 Tensor TFLOPS", of: (d) => d.fp16TensorTflops },
  fp32_tflops: { label: "dense TF32 Tensor TFLOPS", of: (d) => d.tf32TensorTflops },
  fp32_cuda_core_tflops: { label: "FP32 (non-tensor) TFLOPS", of: (d) => d.fp32Tflops },
  mixed_precision_tflops: { label: "dense FP16 Tensor TFLOPS", of: (d) => d.fp16TensorTflops },
  memory_bandwidth_gbs: { label: "memory GB/s", of: (d) => d.memoryBandwidthGbs },
  host_to_device_bandwidth_gbs: { label: "PCIe x16 GB/s per direction", of: (d) => pcieGbs(d.pcieGeneration) },
  device_to_host_bandwidth_gbs: { label: "PCIe x16 GB/s per direction", of: (d) => pcieGbs(d.pcieGeneration) },
  power_consumption_watts: { label: "TDP W", of: (d) => d.tdpWatts },
};

const COMPUTE_METRICS: ScaledMetric[] = [
  "bf16_tflops",
  "fp16_tflops",
  "fp32_tflops",
  "fp32_cuda_core_tflops",
  "mixed_precision_tflops",
];

/** A Hopper board whose power limit caps sustained clocks below its datasheet's boost-clock peak. */
const POWER_LIMITED_BOARD = {
  factor: 0.7,
  why: "a GH100 held to 350–400 W instead of 700 W cannot keep the boost clock its datasheet peak assumes under a sustained matmul; 0.7 is an assumption (it reproduces the first release's H100 NVL figure, 452 TFLOPS), not yet a measurement",
};

type EstimatedMetric = "l2_bandwidth_gbs" | "kernel_launch_overhead_us" | "temperature_centigrade";

interface ReferenceModel {
  model: string;
  /** How far the H200-measured fractions are known to hold for this model. */
  basis: string;
  powerLimited?: boolean;
  estimates: Record<EstimatedMetric, number>;
}

const HOPPER_SXM = "same GH100 die, clocks and 700 W limit as the measured H200";

const MODELS: ReferenceModel[] = [
  {
    model: "NVIDIA H200",
    basis: "measured on this model",
    estimates: { l2_bandwidth_gbs: 10200, kernel_launch_overhead_us: 2.3, temperature_centigrade: 63 },
  },
  {
    model: "NVIDIA H200 NVL",
    basis: "same die as the measured H200 at a 600 W limit: assumed",
    estimates: { l2_bandwidth_gbs: 9600, kernel_launch_overhead_us: 2.3, temperature_centigrade: 65 },
  },
  {
    model: "NVIDIA H100 80GB HBM3",
    basis: HOPPER_SXM,
    estimates: { l2_bandwidth_gbs: 9800, kernel_launch_overhead_us: 2.3, temperature_centigrade: 64 },
  },
  {
    model: "NVIDIA H100 NVL",
    basis: "Hopper, like the measured H200: assumed",
    powerLimited: true,
    estimates: { l2_bandwidth_gbs: 8900, kernel_launch_overhead_us: 2.4, temperature_centigrade: 62 },
  },
  {
    model: "NVIDIA H100 PCIe",
    basis: "Hopper, like the measured H200: assumed",
    powerLimited: true,
    estimates: { l2_bandwidth_gbs: 7400, kernel_launch_overhead_us: 2.5, temperature_centigrade: 65 },
  },
  {
    model: "NVIDIA B200",
    basis: "Blackwell: the Hopper fractions are assumed until a B200 is measured",
    estimates: { l2_bandwidth_gbs: 16000, kernel_launch_overhead_us: 2.2, temperature_centigrade: 66 },
  },
  {
    model: "NVIDIA A100-SXM4-80GB",
    basis: "Ampere: the Hopper fractions are assumed until an A100 is measured",
    estimates: { l2_bandwidth_gbs: 4600, kernel_launch_overhead_us: 2.8, temperature_centigrade: 61 },
  },
  {
    model: "NVIDIA A100-SXM4-40GB",
    basis: "Ampere: the Hopper fractions are assumed until an A100 is measured",
    estimates: { l2_bandwidth_gbs: 4400, kernel_launch_overhead_us: 2.9, temperature_centigrade: 60 },
  },
  {
    model: "NVIDIA A100 80GB PCIe",
    basis: "Ampere: the Hopper fractions are assumed until an A100 is measured",
    estimates: { l2_bandwidth_gbs: 4400, kernel_launch_overhead_us: 2.8, temperature_centigrade: 62 },
  },
  {
    model: "NVIDIA A100-PCIE-40GB",
    basis: "Ampere: the Hopper fractions are assumed until an A100 is measured",
    estimates: { l2_bandwidth_gbs: 4200, kernel_launch_overhead_us: 2.9, temperature_centigrade: 62 },
  },
  {
    model: "NVIDIA L40S",
    basis: "Ada Lovelace: the Hopper fractions are assumed until an L40S is measured",
    estimates: { l2_bandwidth_gbs: 5200, kernel_launch_overhead_us: 2.6, temperature_centigrade: 67 },
  },
];

const ESTIMATE_SOURCE =
  "estimate carried from the first release: NVIDIA publishes no figure and no valid measurement exists yet (the H200 probe's L2 copy was launch-bound, its launch timing included framework overhead, its temperature was sampled idle); informational, not a key metric";

export interface VendorSpec {
  model: string;
  values: MetricValues;
  /** Per metric: where the value comes from (datasheet × factor, measurement, or estimate). */
  sources: Record<QuickmarkMetric, string>;
}

const round = (v: number) => Math.round(v * 100) / 100;

function buildSpec(ref: ReferenceModel): VendorSpec {
  const sheet = datasheetFor(ref.model);
  const measuredOn = datasheetFor(H200_MEASURED.model);
  if (!sheet || sheet.model !== ref.model || !measuredOn) throw new Error(`no datasheet row for ${ref.model}`);
  const values: MetricValues = {};
  const sources = {} as Record<QuickmarkMetric, string>;
  for (const m of Object.keys(DATASHEET_FIGURE) as ScaledMetric[]) {
    const figure = DATASHEET_FIGURE[m];
    const fraction = H200_MEASURED.values[m] / figure.of(measuredOn);
    const derate = ref.powerLimited && COMPUTE_METRICS.includes(m) ? POWER_LIMITED_BOARD.factor : 1;
    values[m] = round(figure.of(sheet) * fraction * derate);
    sources[m] =
      `datasheet ${figure.label} ${round(figure.of(sheet))} × ${fraction.toFixed(3)} (the fraction an NVIDIA H200 sustained, measured ${H200_MEASURED.date}: ${H200_MEASURED.values[m]} of ${round(figure.of(measuredOn))}; ${ref.basis})` +
      (derate !== 1 ? ` × ${derate} (${POWER_LIMITED_BOARD.why})` : "");
  }
  for (const m of Object.keys(ref.estimates) as EstimatedMetric[]) {
    values[m] = ref.estimates[m];
    sources[m] = ESTIMATE_SOURCE;
  }
  return { model: ref.model, values, sources };
}

const SPECS: VendorSpec[] = MODELS.map(buildSpec);

/** The shipped reference for a GPU model by its nvidia-smi name (matched like its datasheet). */
export function vendorSpec(gpuModel: string | null | undefined): VendorSpec | null {
  const sheet = datasheetFor(gpuModel);
  return (sheet && SPECS.find((s) => s.model === sheet.model)) ?? null;
}

/** How the shipped references were measured: for the API and the docs. */
export const REFERENCE_MEASUREMENT = {
  gpu: H200_MEASURED.model,
  date: H200_MEASURED.date,
  method: H200_MEASURED.method,
} as const;

export const KNOWN_GPU_MODELS = SPECS.map((s) => s.model);
