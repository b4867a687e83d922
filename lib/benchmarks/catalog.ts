import { z } from "../validation/zod";

/**
 * The benchmark catalog: every benchmark the platform knows, declared once. Job creation
 * validates against it, `include_display_names` reads its field names and units, and
 * GET /benchmarks serves it.
 */
export interface ResultField {
  key: string;
  display_name: string;
  unit: string | null;
  /** How node values combine into the job-level aggregate. */
  aggregate?: "sum" | "max" | "min" | "avg";
}

export interface BenchmarkDefinition {
  id: string;
  name: string;
  description: string;
  min_nodes: number;
  max_nodes: number;
  /** The accepted `config` object; served as JSON Schema by GET /benchmarks. */
  config: z.ZodType;
  result_fields: ResultField[];
  /** Bulky per-GPU / per-link arrays of a result that `compact=true` leaves out (docs/api-contract.md). */
  detail_fields: string[];
}

const tflops = (key: string, display_name: string): ResultField => ({
  key,
  display_name,
  unit: "TFLOPS",
  aggregate: "sum",
});
const gbs = (key: string, display_name: string): ResultField => ({ key, display_name, unit: "GB/s", aggregate: "sum" });

export const MAX_TIMEOUT_SECONDS = 24 * 60 * 60;

/**
 * Keys every benchmark's config accepts. `timeout` is SiliconMark's: seconds the agent lets
 * the benchmark run before stopping it and reporting it failed.
 */
const commonConfigShape = {
  timeout: z
    .int("timeout must be an integer number of seconds")
    .min(10)
    .max(MAX_TIMEOUT_SECONDS)
    .optional()
    .describe("Seconds the benchmark may run before the agent stops it"),
};

/** A strict config object: any key not declared is rejected, named in the error. */
const configSchema = <T extends z.ZodRawShape>(shape: T) => z.object({ ...commonConfigShape, ...shape }).strict();

const modelName = (example: string) =>
  z.string().trim().min(1).max(200).optional().describe(`Model to serve or train, e.g. ${example}`);
const tokens = (what: string, max: number) => z.int().min(1).max(max).optional().describe(what);

/** Latency and throughput of an LLM serving run (vLLM, NIM): node figures, combined across nodes. */
const servingFields: ResultField[] = [
  {
    key: "output_throughput_tokens_per_s",
    display_name: "Output Token Throughput",
    unit: "tokens/s",
    aggregate: "sum",
  },
  { key: "total_throughput_tokens_per_s", display_name: "Total Token Throughput", unit: "tokens/s", aggregate: "sum" },
  { key: "requests_per_s", display_name: "Request Throughput", unit: "requests/s", aggregate: "sum" },
  { key: "mean_ttft_ms", display_name: "Mean Time to First Token", unit: "ms", aggregate: "avg" },
  { key: "p99_ttft_ms", display_name: "P99 Time to First Token", unit: "ms", aggregate: "max" },
  { key: "mean_itl_ms", display_name: "Mean Inter-Token Latency", unit: "ms", aggregate: "avg" },
  { key: "p99_itl_ms", display_name: "P99 Inter-Token Latency", unit: "ms", aggregate: "max" },
  { key: "mean_e2e_latency_ms", display_name: "Mean Request Latency", unit: "ms", aggregate: "avg" },
];

export const BENCHMARKS: readonly BenchmarkDefinition[] = [
  {
    id: "quick_mark",
    name: "QuickMark",
    description:
      "Single-node GPU health and throughput check: tensor and CUDA-core FLOPS, memory, L2 and PCIe bandwidth, launch overhead, power and temperature. Always runs first.",
    min_nodes: 1,
    max_nodes: 256,
    config: configSchema({
      duration_seconds: z.int().min(10).max(3600).optional().describe("Time spent per test"),
      gpus: z.array(z.int().min(0).max(63)).max(64).optional().describe("GPU indices to test (default: all)"),
    }),
    // Display names and units of the per-GPU metrics are SiliconMark's field metadata.
    result_fields: [
      tflops("bf16_tflops", "BF16 Performance"),
      tflops("fp16_tflops", "FP16 Performance"),
      tflops("fp32_tflops", "FP32 Performance"),
      tflops("fp32_cuda_core_tflops", "FP32 CUDA Core Performance"),
      tflops("mixed_precision_tflops", "Mixed Precision Performance"),
      gbs("memory_bandwidth_gbs", "Memory Bandwidth"),
      gbs("l2_bandwidth_gbs", "L2 Cache Bandwidth"),
      gbs("host_to_device_bandwidth_gbs", "Host to Device Bandwidth"),
      gbs("device_to_host_bandwidth_gbs", "Device to Host Bandwidth"),
      { key: "kernel_launch_overhead_us", display_name: "Kernel Launch Overhead", unit: "µs", aggregate: "avg" },
      { key: "power_consumption_watts", display_name: "Power Consumption", unit: "W", aggregate: "sum" },
      { key: "temperature_centigrade", display_name: "Temperature", unit: "°C", aggregate: "max" },
      // Node aggregates SiliconMark agents report (computed from test_results when absent; lib/results/quickmark.ts).
      tflops("total_fp16_tflops", "Total FP16 Performance"),
      tflops("total_fp32_tflops", "Total FP32 Performance"),
      { key: "avg_temperature", display_name: "Average Temperature", unit: "°C", aggregate: "avg" },
      { key: "allreduce_bandwidth_gbs", display_name: "All-Reduce Bandwidth", unit: "GB/s", aggregate: "avg" },
      { key: "broadcast_bandwidth_gbs", display_name: "Broadcast Bandwidth", unit: "GB/s", aggregate: "avg" },
      {
        key: "fp16_tflops_per_peak_watt",
        display_name: "FP16 Performance per Peak Watt",
        unit: "TFLOPS/W",
        aggregate: "avg",
      },
      {
        key: "fp32_tflops_per_peak_watt",
        display_name: "FP32 Performance per Peak Watt",
        unit: "TFLOPS/W",
        aggregate: "avg",
      },
      // Per node only: one entry per GPU pair, shown as a heatmap (duplex_gbs, simplex_gbs in GB/s).
      { key: "gpu_bandwidth_matrix", display_name: "GPU-to-GPU Bandwidth", unit: "GB/s" },
    ],
    detail_fields: ["test_results"],
  },
  {
    id: "cluster_network",
    name: "Cluster Network",
    description:
      "All-pairs point-to-point bandwidth and latency between the job's nodes, plus an NCCL-style all-reduce bus bandwidth. Meaningful with two or more nodes.",
    min_nodes: 2,
    max_nodes: 256,
    config: configSchema({
      message_size_mb: z.int().min(1).max(16384).optional().describe("Transfer size per measurement"),
      iterations: z.int().min(1).max(1000).optional(),
    }),
    result_fields: [
      { key: "avg_bandwidth_gbps", display_name: "Average Bandwidth", unit: "Gbps" },
      { key: "min_bandwidth_gbps", display_name: "Minimum Bandwidth", unit: "Gbps" },
      { key: "avg_latency", display_name: "Average Latency", unit: "µs" },
      { key: "busbw_gbps", display_name: "All-Reduce Bus Bandwidth", unit: "Gbps" },
      { key: "total_links_tested", display_name: "Links Tested", unit: null },
      { key: "node_count", display_name: "Nodes", unit: null },
      { key: "measurements", display_name: "Measurements", unit: null },
    ],
    detail_fields: ["measurements"],
  },
  {
    id: "inference",
    name: "Inference Benchmark (vLLM)",
    description:
      "LLM serving throughput and latency with vLLM on NVIDIA or AMD GPUs: the operator's runner starts the server and drives a fixed request load.",
    min_nodes: 1,
    max_nodes: 256,
    config: configSchema({
      model: modelName("meta-llama/Llama-3.1-8B-Instruct"),
      tensor_parallel_size: z.int().min(1).max(64).optional().describe("GPUs per model replica"),
      batch_size: z.int().min(1).max(4096).optional().describe("Concurrent requests"),
      input_sequence_length: tokens("Prompt tokens per request", 131_072),
      output_sequence_length: tokens("Generated tokens per request", 131_072),
      num_prompts: z.int().min(1).max(100_000).optional().describe("Requests in the run"),
    }),
    result_fields: servingFields,
    detail_fields: [],
  },
  {
    id: "llama3_inference_nim",
    name: "Llama 3 Inference (NIM)",
    description:
      "Llama 3 serving throughput and latency on one node with an NVIDIA NIM container supplied by the operator's runner.",
    min_nodes: 1,
    max_nodes: 256,
    config: configSchema({
      model: modelName("meta/llama3-8b-instruct"),
      concurrency: z.int().min(1).max(4096).optional().describe("Concurrent requests"),
      input_sequence_length: tokens("Prompt tokens per request", 131_072),
      output_sequence_length: tokens("Generated tokens per request", 131_072),
    }),
    result_fields: servingFields,
    detail_fields: [],
  },
  {
    id: "llama3_finetune_nemo",
    name: "Llama 3 Fine-Tuning (NeMo)",
    description:
      "Llama 3 fine-tuning speed on one node with NVIDIA NeMo (LoRA or full SFT) in the operator's container.",
    min_nodes: 1,
    max_nodes: 256,
    config: configSchema({
      model: modelName("llama3-8b"),
      method: z.enum(["lora", "sft"]).optional().describe("LoRA adapters or full supervised fine-tuning"),
      micro_batch_size: z.int().min(1).max(1024).optional(),
      global_batch_size: z.int().min(1).max(65_536).optional(),
      sequence_length: tokens("Tokens per training sample", 131_072),
      max_steps: z.int().min(1).max(100_000).optional().describe("Training steps to run"),
      precision: z.enum(["bf16", "fp8"]).optional(),
    }),
    result_fields: [
      { key: "train_tokens_per_s", display_name: "Training Throughput", unit: "tokens/s", aggregate: "sum" },
      { key: "samples_per_s", display_name: "Training Samples", unit: "samples/s", aggregate: "sum" },
      { key: "step_time_s", display_name: "Step Time", unit: "s", aggregate: "avg" },
      { key: "tflops_per_gpu", display_name: "Model FLOPS per GPU", unit: "TFLOPS", aggregate: "avg" },
      { key: "final_loss", display_name: "Final Training Loss", unit: null, aggregate: "avg" },
      { key: "peak_memory_gb", display_name: "Peak GPU Memory", unit: "GB", aggregate: "max" },
    ],
    detail_fields: [],
  },
];

const byId = new Map(BENCHMARKS.map((b) => [b.id, b]));

export function findBenchmark(id: string): BenchmarkDefinition | undefined {
  return byId.get(id);
}

/** `{field: "Display name (unit)"}` for include_display_names. */
export function displayNames(benchmarkId: string): Record<string, string> {
  const def = byId.get(benchmarkId);
  if (!def) return {};
  return Object.fromEntries(
    def.result_fields.map((f) => [f.key, f.unit ? `${f.display_name} (${f.unit})` : f.display_name]),
  );
}

/** The catalog as served by GET /benchmarks: config schemas as JSON Schema. */
export function benchmarkCatalog() {
  return BENCHMARKS.map(({ config, result_fields, ...rest }) => ({
    ...rest,
    config_schema: z.toJSONSchema(config, { target: "draft-2020-12" }),
    result_fields: result_fields.map((f) => ({
      key: f.key,
      display_name: f.display_name,
      unit: f.unit,
      aggregate: f.aggregate ?? null,
    })),
  }));
}
