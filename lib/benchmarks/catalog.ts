import { z } from "zod";

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
  /** Bulky per-GPU / per-link arrays of a result that `compact=true` leaves out (seed 003). */
  detail_fields: string[];
}

const tflops = (key: string, display_name: string): ResultField => ({ key, display_name, unit: "TFLOPS", aggregate: "sum" });
const gbs = (key: string, display_name: string): ResultField => ({ key, display_name, unit: "GB/s", aggregate: "sum" });

export const BENCHMARKS: readonly BenchmarkDefinition[] = [
  {
    id: "quick_mark",
    name: "QuickMark",
    description: "Single-node GPU health and throughput check: tensor and CUDA-core FLOPS, memory, L2 and PCIe bandwidth, launch overhead, power and temperature. Always runs first.",
    min_nodes: 1,
    max_nodes: 256,
    config: z
      .object({
        duration_seconds: z.int().min(10).max(3600).optional().describe("Time spent per test"),
        gpus: z.array(z.int().min(0).max(63)).max(64).optional().describe("GPU indices to test (default: all)"),
      })
      .strict(),
    result_fields: [
      tflops("bf16_tflops", "BF16 Tensor"),
      tflops("fp16_tflops", "FP16 Tensor"),
      tflops("fp32_tflops", "TF32 Tensor"),
      tflops("fp32_cuda_core_tflops", "FP32 CUDA Core"),
      tflops("mixed_precision_tflops", "Mixed Precision"),
      gbs("memory_bandwidth_gbs", "Memory Bandwidth"),
      gbs("l2_bandwidth_gbs", "L2 Cache Bandwidth"),
      gbs("host_to_device_bandwidth_gbs", "Host to Device Bandwidth"),
      gbs("device_to_host_bandwidth_gbs", "Device to Host Bandwidth"),
      { key: "kernel_launch_overhead_us", display_name: "Kernel Launch Overhead", unit: "µs", aggregate: "avg" },
      { key: "power_consumption_watts", display_name: "Power Consumption", unit: "W", aggregate: "sum" },
      { key: "temperature_centigrade", display_name: "Temperature", unit: "°C", aggregate: "max" },
    ],
    detail_fields: ["test_results"],
  },
  {
    id: "cluster_network",
    name: "Cluster Network",
    description: "All-pairs point-to-point bandwidth and latency between the job's nodes, plus an NCCL-style all-reduce bus bandwidth. Meaningful with two or more nodes.",
    min_nodes: 2,
    max_nodes: 256,
    config: z
      .object({
        message_size_mb: z.int().min(1).max(16384).optional().describe("Transfer size per measurement"),
        iterations: z.int().min(1).max(1000).optional(),
      })
      .strict(),
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
];

const byId = new Map(BENCHMARKS.map((b) => [b.id, b]));

export function findBenchmark(id: string): BenchmarkDefinition | undefined {
  return byId.get(id);
}

/** `{field: "Display name (unit)"}` for include_display_names. */
export function displayNames(benchmarkId: string): Record<string, string> {
  const def = byId.get(benchmarkId);
  if (!def) return {};
  return Object.fromEntries(def.result_fields.map((f) => [f.key, f.unit ? `${f.display_name} (${f.unit})` : f.display_name]));
}

/** The catalog as served by GET /benchmarks: config schemas as JSON Schema. */
export function benchmarkCatalog() {
  return BENCHMARKS.map(({ config, result_fields, ...rest }) => ({
    ...rest,
    config_schema: z.toJSONSchema(config, { target: "draft-2020-12" }),
    result_fields: result_fields.map((f) => ({ key: f.key, display_name: f.display_name, unit: f.unit, aggregate: f.aggregate ?? null })),
  }));
}
