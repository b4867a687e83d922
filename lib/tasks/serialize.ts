import { createHash } from "node:crypto";
import type { BenchmarkResult, Task } from "../generated/prisma/client";
import { resultsMap, serializeTask, type ResultRow } from "../jobs/serialize";
import { taskReportUrl } from "../reports/urls";
import { datasheetFor, type GpuDatasheet } from "../performance/gpu-datasheets";

/**
 * Wire shapes of the Tasks API. A task is one node's part of a job; ids are strings and dates
 * ISO 8601 UTC, as in the Jobs API.
 */

/** A task as GET /tasks lists it: benchmark_results only when include_results asks for them. */
export function serializeTaskListItem(task: Task, results: ResultRow[] | null, origin: string) {
  const { benchmark_results, ...rest } = serializeTask(task, results ?? [], taskReportUrl(task.jobId, task.id, origin));
  return results ? { ...rest, benchmark_results } : rest;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first 128 bits of a SHA-256 as an RFC 9562 version-8 (custom) UUID. */
function hashUuid(input: string): string {
  const b = createHash("sha256").update(input).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SiliconMark's machine_id is a UUID: the agent's machine UUID when it is one, else a stable hash of it. */
export function machineIdOf(machineUuid: string): string {
  return UUID.test(machineUuid) ? machineUuid.toLowerCase() : hashUuid(`machine:${machineUuid}`);
}

/**
 * The parts of a node's inventory that decide its performance. Host names, addresses and the
 * machine's own id are left out so that identical machines share one configuration.
 */
const CONFIGURATION_KEYS = [
  "gpu_memory_gb",
  "driver_version",
  "cuda_version",
  "rocm_version",
  "cpu",
  "cpu_cores",
  "memory_gb",
  "os",
  "kernel",
  "interconnect",
] as const;

/**
 * configuration_id: a UUID-shaped hash of the node's hardware and driver inventory (GPU model
 * and count, GPU memory, driver, CUDA/ROCm, CPU, host memory, OS). Two tasks with the same
 * configuration_id ran on identical configurations, so their results group and compare
 * directly (docs/compatibility.md).
 */
export function configurationIdOf(task: Pick<Task, "gpuModel" | "gpuCount" | "inventory">): string {
  const inv = (
    task.inventory && typeof task.inventory === "object" && !Array.isArray(task.inventory) ? task.inventory : {}
  ) as Record<string, unknown>;
  const parts: [string, unknown][] = [
    ["gpu_model", task.gpuModel?.trim().toLowerCase() ?? null],
    ["gpu_count", task.gpuCount],
    ...CONFIGURATION_KEYS.map((k): [string, unknown] => [
      k,
      typeof inv[k] === "string" ? (inv[k] as string).trim().toLowerCase() : (inv[k] ?? null),
    ]),
  ];
  return hashUuid(`configuration:${JSON.stringify(parts)}`);
}

/** The manufacturer's published figures in SiliconMark's shape (units as strings where it writes them so). */
export function manufacturerGpuSpec(sheet: GpuDatasheet | undefined) {
  if (!sheet) return null;
  return {
    model: sheet.model,
    compute_capability: sheet.computeCapability,
    memory_gb: sheet.memoryGb,
    memory_bandwidth: `${sheet.memoryBandwidthGbs} GB/s`,
    fp32_tflops: sheet.fp32Tflops,
    tf32_tensor_tflops: sheet.tf32TensorTflops,
    fp16_tensor_tflops: sheet.fp16TensorTflops,
    bf16_tensor_tflops: sheet.bf16TensorTflops,
    tdp_watts: sheet.tdpWatts,
    source: sheet.source,
  };
}

/** GET /tasks/{task_id}/results: the task's result summary. */
export function serializeTaskResults(
  task: Task,
  companyName: string,
  results: BenchmarkResult[],
  withDisplayName: boolean,
) {
  return {
    manufacturer_gpu_spec: manufacturerGpuSpec(task.gpuModel ? datasheetFor(task.gpuModel) : undefined),
    company_name: companyName,
    machine_id: machineIdOf(task.machineUuid),
    configuration_id: configurationIdOf(task),
    task_id: task.id.toString(),
    job_id: task.jobId.toString(),
    machine_uuid: task.machineUuid,
    machine_ip: task.machineIp,
    gpu_model: task.gpuModel,
    gpu_count: task.gpuCount,
    state: task.state,
    started_at: task.startedAt?.toISOString() ?? null,
    ended_at: task.endedAt?.toISOString() ?? null,
    benchmark_results: resultsMap(results, withDisplayName),
  };
}
