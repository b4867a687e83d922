/**
 * Manufacturer datasheet figures per GPU model, as NVIDIA publishes them — peaks, not what a
 * benchmark sustains. The API shows them as the manufacturer's spec next to measured values,
 * and the shipped quick_mark references (vendor-specs.ts) derive from them with a stated
 * factor. Tensor Core figures are DENSE: NVIDIA's datasheets print the 2:4-sparsity figure
 * (marked "*") for Hopper and Ada, so those are halved here; A100 datasheets print dense
 * first. fp32Tflops is the non-tensor (CUDA core) FP32 rate.
 *
 * Aliases are the names `nvidia-smi --query-gpu=name` prints, so a task's gpu_model matches
 * exactly; `match` catches spellings not listed (driver versions vary the suffix).
 */
export interface GpuDatasheet {
  /** Canonical model name, as nvidia-smi prints it. */
  model: string;
  aliases: string[];
  architecture: "Ampere" | "Ada Lovelace" | "Hopper" | "Blackwell";
  computeCapability: string;
  memoryGb: number;
  memoryBandwidthGbs: number;
  fp32Tflops: number;
  tf32TensorTflops: number;
  fp16TensorTflops: number;
  bf16TensorTflops: number;
  tdpWatts: number;
  /** Host link: PCIe generation of the board's x16 interface. */
  pcieGeneration: 4 | 5;
  /** Where the figures come from, and how they were converted (e.g. sparse → dense). */
  source: string;
}

interface DatasheetRow extends GpuDatasheet {
  match: RegExp;
}

const HOPPER_SXM_SOURCE =
  "NVIDIA H100 Tensor Core GPU datasheet and NVIDIA H200 Tensor Core GPU datasheet (nvidia.com), SXM column: FP32 67 TFLOPS; TF32 989, BF16/FP16 1,979 TFLOPS with sparsity, halved to dense";

// H100 SXM and H200 share the GH100 die, clocks and 700 W limit; only memory differs.
const HOPPER_SXM_COMPUTE = {
  architecture: "Hopper",
  computeCapability: "9.0",
  fp32Tflops: 67,
  tf32TensorTflops: 494.5,
  fp16TensorTflops: 989.5,
  bf16TensorTflops: 989.5,
} as const;
// Every A100 variant has the same compute figures; memory, bandwidth and power differ.
const A100_COMPUTE = {
  architecture: "Ampere",
  computeCapability: "8.0",
  fp32Tflops: 19.5,
  tf32TensorTflops: 156,
  fp16TensorTflops: 312,
  bf16TensorTflops: 312,
} as const;

// Order matters for the `match` fallback: specific variants (NVL, PCIe, 80GB) before the family.
const DATASHEETS: DatasheetRow[] = [
  {
    model: "NVIDIA H200 NVL",
    aliases: ["NVIDIA H200 NVL"],
    match: /H200.*NVL/i,
    architecture: "Hopper",
    computeCapability: "9.0",
    memoryGb: 141,
    memoryBandwidthGbs: 4800,
    fp32Tflops: 60,
    tf32TensorTflops: 417.5,
    fp16TensorTflops: 835.5,
    bf16TensorTflops: 835.5,
    tdpWatts: 600,
    pcieGeneration: 5,
    source:
      "NVIDIA H200 Tensor Core GPU datasheet (nvidia.com), H200 NVL column: 141 GB, 4.8 TB/s, FP32 60 TFLOPS, TF32 835 / BF16 and FP16 1,671 TFLOPS with sparsity (halved to dense), up to 600 W",
  },
  {
    model: "NVIDIA H200",
    aliases: ["NVIDIA H200", "NVIDIA H200 SXM", "NVIDIA H200 141GB HBM3e"],
    match: /H200/i,
    ...HOPPER_SXM_COMPUTE,
    memoryGb: 141,
    memoryBandwidthGbs: 4800,
    tdpWatts: 700,
    pcieGeneration: 5,
    source: `${HOPPER_SXM_SOURCE}; H200 SXM: 141 GB HBM3e, 4.8 TB/s, up to 700 W`,
  },
  {
    model: "NVIDIA H100 NVL",
    aliases: ["NVIDIA H100 NVL"],
    match: /H100.*NVL/i,
    architecture: "Hopper",
    computeCapability: "9.0",
    memoryGb: 94,
    memoryBandwidthGbs: 3900,
    fp32Tflops: 60,
    tf32TensorTflops: 417.5,
    fp16TensorTflops: 835.5,
    bf16TensorTflops: 835.5,
    tdpWatts: 400,
    pcieGeneration: 5,
    source:
      "NVIDIA H100 Tensor Core GPU datasheet (nvidia.com), H100 NVL column (per GPU): 94 GB, 3.9 TB/s, FP32 60 TFLOPS, TF32 835 / BF16 and FP16 1,671 TFLOPS with sparsity (halved to dense), 350–400 W configurable (400 W taken)",
  },
  {
    model: "NVIDIA H100 PCIe",
    aliases: ["NVIDIA H100 PCIe"],
    match: /H100.*PCIe/i,
    architecture: "Hopper",
    computeCapability: "9.0",
    memoryGb: 80,
    memoryBandwidthGbs: 2000,
    fp32Tflops: 51,
    tf32TensorTflops: 378,
    fp16TensorTflops: 756.5,
    bf16TensorTflops: 756.5,
    tdpWatts: 350,
    pcieGeneration: 5,
    source:
      "NVIDIA H100 PCIe product brief PB-11133-001 and H100 datasheet (nvidia.com), PCIe column: 80 GB HBM2e, 2,000 GB/s, FP32 51 TFLOPS, TF32 756 / BF16 and FP16 1,513 TFLOPS with sparsity (halved to dense), 350 W",
  },
  {
    model: "NVIDIA H100 80GB HBM3",
    aliases: ["NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5 80GB", "NVIDIA H100"],
    match: /H100/i,
    ...HOPPER_SXM_COMPUTE,
    memoryGb: 80,
    memoryBandwidthGbs: 3350,
    tdpWatts: 700,
    pcieGeneration: 5,
    source: `${HOPPER_SXM_SOURCE}; H100 SXM: 80 GB HBM3, 3.35 TB/s, up to 700 W`,
  },
  {
    model: "NVIDIA B200",
    aliases: ["NVIDIA B200"],
    match: /B200/i,
    architecture: "Blackwell",
    computeCapability: "10.0",
    memoryGb: 180,
    memoryBandwidthGbs: 8000,
    fp32Tflops: 75,
    tf32TensorTflops: 1100,
    fp16TensorTflops: 2250,
    bf16TensorTflops: 2250,
    tdpWatts: 1000,
    pcieGeneration: 5,
    source:
      "NVIDIA HGX B200 datasheet (nvidia.com), 8-GPU board figures divided by 8: 1.44 TB → 180 GB HBM3e, 8 TB/s, FP32 75 TFLOPS, TF32 2.2 / BF16 and FP16 4.5 PFLOPS with sparsity (halved to dense), 1,000 W per GPU",
  },
  {
    model: "NVIDIA A100-SXM4-80GB",
    aliases: ["NVIDIA A100-SXM4-80GB"],
    match: /A100.*SXM.*80/i,
    ...A100_COMPUTE,
    memoryGb: 80,
    memoryBandwidthGbs: 2039,
    tdpWatts: 400,
    pcieGeneration: 4,
    source:
      "NVIDIA A100 Tensor Core GPU datasheet (nvidia.com), A100 80GB SXM column: 80 GB HBM2e, 2,039 GB/s, FP32 19.5, TF32 156, BF16/FP16 312 TFLOPS (dense as printed; sparse 2×), 400 W",
  },
  {
    model: "NVIDIA A100 80GB PCIe",
    aliases: ["NVIDIA A100 80GB PCIe", "NVIDIA A100-PCIE-80GB"],
    match: /A100.*80.*PCIe|A100.*PCIe.*80/i,
    ...A100_COMPUTE,
    memoryGb: 80,
    memoryBandwidthGbs: 1935,
    tdpWatts: 300,
    pcieGeneration: 4,
    source:
      "NVIDIA A100 Tensor Core GPU datasheet (nvidia.com), A100 80GB PCIe column: 80 GB HBM2e, 1,935 GB/s, FP32 19.5, TF32 156, BF16/FP16 312 TFLOPS (dense), 300 W",
  },
  {
    model: "NVIDIA A100-PCIE-40GB",
    aliases: ["NVIDIA A100-PCIE-40GB"],
    match: /A100.*PCIe/i,
    ...A100_COMPUTE,
    memoryGb: 40,
    memoryBandwidthGbs: 1555,
    tdpWatts: 250,
    pcieGeneration: 4,
    source:
      "NVIDIA A100 PCIe 40GB datasheet (nvidia.com, 2020): 40 GB HBM2, 1,555 GB/s, FP32 19.5, TF32 156, BF16/FP16 312 TFLOPS (dense), 250 W",
  },
  {
    model: "NVIDIA A100-SXM4-40GB",
    aliases: ["NVIDIA A100-SXM4-40GB"],
    match: /A100/i,
    ...A100_COMPUTE,
    memoryGb: 40,
    memoryBandwidthGbs: 1555,
    tdpWatts: 400,
    pcieGeneration: 4,
    source:
      "NVIDIA A100 Tensor Core GPU datasheet (nvidia.com), A100 40GB SXM column: 40 GB HBM2, 1,555 GB/s, FP32 19.5, TF32 156, BF16/FP16 312 TFLOPS (dense), 400 W",
  },
  {
    model: "NVIDIA L40S",
    aliases: ["NVIDIA L40S"],
    match: /L40S/i,
    architecture: "Ada Lovelace",
    computeCapability: "8.9",
    memoryGb: 48,
    memoryBandwidthGbs: 864,
    fp32Tflops: 91.6,
    tf32TensorTflops: 183,
    fp16TensorTflops: 362.05,
    bf16TensorTflops: 362.05,
    tdpWatts: 350,
    pcieGeneration: 4,
    source:
      "NVIDIA L40S datasheet (nvidia.com): 48 GB GDDR6 with ECC, 864 GB/s, FP32 91.6, TF32 183 (366 sparse), BF16/FP16 362.05 (733 sparse) TFLOPS, 350 W",
  },
];

const normalize = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

function publicRow({ match: _match, ...sheet }: DatasheetRow): GpuDatasheet {
  return sheet;
}

/** The datasheet of a GPU model by its nvidia-smi name (exact alias first, then the family). */
export function datasheetFor(gpuModel: string | null | undefined): GpuDatasheet | undefined {
  if (!gpuModel) return undefined;
  const name = normalize(gpuModel);
  const row =
    DATASHEETS.find((d) => d.aliases.some((a) => normalize(a) === name)) ??
    DATASHEETS.find((d) => d.match.test(gpuModel));
  return row ? publicRow(row) : undefined;
}

export const DATASHEET_MODELS: readonly string[] = DATASHEETS.map((d) => d.model);
