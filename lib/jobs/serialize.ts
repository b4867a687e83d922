import type { Job, Task, BenchmarkResult, Prisma } from "../generated/prisma/client";
import type { JsonText } from "../util/json-text";
import { displayNames } from "../benchmarks/catalog";
import { jobReportUrl, taskReportUrl } from "../reports/urls";
import { readBenchmarkSequence } from "../db/json-columns";
import { isoTimeOrNull as iso } from "../util/iso-time";

/** Wire shapes of the SiliconMark API (docs/api-contract.md). Dates are ISO 8601 UTC; ids are strings. */

// Times (`iso`) keep their milliseconds, so a returned created_at can be fed back into
// created_after exactly.

export interface BenchmarkStep {
  benchmark_id: string;
  config: Record<string, unknown> | null;
}

export interface ListExpansions {
  includeResults: boolean;
  performance: boolean;
  performanceNodes: boolean;
}

/**
 * A list item's columns (and a CSV export's), read for every job of a page
 * (lib/jobs/list-rows.ts); the JSON roll-ups only when an expansion shows them. Turning the
 * whole row, three JSON documents included, into values cost 2.1–2.5 ms of CPU for a page of
 * 50 against 1.1–1.3 ms for these (docs/performance-budget.md).
 */
export const JOB_LIST_COLUMNS = {
  id: true,
  name: true,
  token: true,
  description: true,
  state: true,
  failedMessage: true,
  nodeCount: true,
  currentNodes: true,
  benchmarkSequence: true,
  tags: true,
  createdAt: true,
  startedAt: true,
  expiresAt: true,
  endedAt: true,
  performanceStatus: true,
  gpuModels: true,
} as const;

/** A node as include=performance_nodes shows it (gathered by lib/jobs/list-rows.ts). */
export const SCORED_NODE_SELECT = {
  id: true,
  machineUuid: true,
  gpuModel: true,
  gpuCount: true,
  performance: true,
} as const;

/** The columns of a job's detail (serializeJobDetail): a list item's, with the performance roll-up. */
export const JOB_DETAIL_SELECT = { ...JOB_LIST_COLUMNS, performance: true } as const;
export type JobDetailRow = Pick<Job, keyof typeof JOB_DETAIL_SELECT>;

/** A job row as lists read it (lib/jobs/list-rows.ts): with its scored nodes when performance_nodes is asked for. */
export type JobListRow = Pick<Job, keyof typeof JOB_LIST_COLUMNS> &
  Partial<Pick<Job, "quickmarkAggregate" | "performance">> & {
    tasks?: Pick<Task, keyof typeof SCORED_NODE_SELECT>[];
  };

export function serializeJob(
  job: JobListRow,
  x: ListExpansions = { includeResults: false, performance: false, performanceNodes: false },
) {
  const sequence = readBenchmarkSequence(job.benchmarkSequence);
  return {
    id: job.id.toString(),
    name: job.name,
    token: job.token,
    description: job.description,
    state: job.state,
    // Extension: why a job ended badly (failed nodes, timeouts, cancellation).
    failed_message: job.failedMessage,
    node_count: job.nodeCount,
    current_nodes: job.currentNodes,
    benchmark_sequence: sequence,
    tags: job.tags,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    expires_at: iso(job.expiresAt),
    ended_at: iso(job.endedAt),
    gpu_models: x.includeResults ? job.gpuModels : null,
    quickmark_aggregate_results: x.includeResults ? (job.quickmarkAggregate ?? null) : null,
    performance: x.performance ? serializePerformance(job) : null,
    performance_nodes: x.performanceNodes
      ? (job.tasks ?? []).map((t) => ({
          task_id: t.id.toString(),
          machine_uuid: t.machineUuid,
          gpu_model: t.gpuModel,
          gpu_count: t.gpuCount,
          ...((t.performance as Record<string, unknown> | null) ?? { status: "unknown" }),
        }))
      : null,
    benchmarks: sequence.map((s) => s.benchmark_id),
  };
}

function serializePerformance(job: Pick<JobListRow, "performanceStatus" | "performance">) {
  return { status: job.performanceStatus, ...((job.performance as Record<string, unknown> | null) ?? {}) };
}

/** The columns a result shows (serializeResult), with the node it belongs to. */
export const RESULT_SELECT = {
  id: true,
  taskId: true,
  benchmarkId: true,
  benchmarkName: true,
  config: true,
  results: true,
  state: true,
  errorMessage: true,
  startedAt: true,
  endedAt: true,
} as const;
/**
 * A document column as a serialiser takes it: the value, or its text to be written as it is
 * (lib/util/json-text.ts) where a read hands it through untouched.
 */
export type JsonDoc = Prisma.JsonValue | JsonText<Prisma.JsonValue>;
export type ResultRow = Omit<Pick<BenchmarkResult, keyof typeof RESULT_SELECT>, "config" | "results"> & {
  config: JsonDoc | null;
  results: JsonDoc | null;
};

export function serializeResult(r: ResultRow, withDisplayNames = false) {
  return {
    id: r.id.toString(),
    benchmark_id: r.benchmarkId,
    benchmark_name: r.benchmarkName,
    started_at: iso(r.startedAt),
    ended_at: iso(r.endedAt),
    config: r.config ?? {},
    results: r.results ?? {},
    state: r.state,
    error_message: r.errorMessage,
    ...(withDisplayNames ? { display_names: displayNames(r.benchmarkId) } : {}),
  };
}

/** Results keyed by benchmark_id; the latest upload of a benchmark wins. */
export function resultsMap(results: ResultRow[], withDisplayNames = false) {
  const sorted = [...results].sort((a, b) => (a.id < b.id ? -1 : 1));
  return Object.fromEntries(sorted.map((r) => [r.benchmarkId, serializeResult(r, withDisplayNames)]));
}

/**
 * The columns a node shows (serializeTask): a job's detail reads only these, not the
 * progress and performance documents of each node, nor its bookkeeping.
 */
export const TASK_SELECT = {
  id: true,
  jobId: true,
  machineUuid: true,
  machineIp: true,
  state: true,
  failedMessage: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  gpuModel: true,
  gpuCount: true,
  inventory: true,
} as const;
export type TaskRow = Omit<Pick<Task, keyof typeof TASK_SELECT>, "inventory"> & { inventory: JsonDoc | null };

export function serializeTask(task: TaskRow, results: ResultRow[], reportUrl: string | null) {
  return {
    id: task.id.toString(),
    job_id: task.jobId.toString(),
    machine_uuid: task.machineUuid,
    machine_ip: task.machineIp,
    state: task.state,
    failed_message: task.failedMessage,
    created_at: iso(task.createdAt),
    started_at: iso(task.startedAt),
    ended_at: iso(task.endedAt),
    gpu_model: task.gpuModel,
    gpu_count: task.gpuCount,
    inventory: task.inventory ?? null,
    pdf_report_url: reportUrl,
    benchmark_results: resultsMap(results),
  };
}

/** Node results by their node, in the order given; the job's own results (no node) left out. */
export function resultsByTask(results: ResultRow[]): Map<bigint, ResultRow[]> {
  const byTask = new Map<bigint, ResultRow[]>();
  for (const r of results) {
    if (r.taskId === null) continue;
    const list = byTask.get(r.taskId);
    if (list) list.push(r);
    else byTask.set(r.taskId, [r]);
  }
  return byTask;
}

/** `origin` makes the report URLs absolute (as the SiliconMark API shows them); without it they are paths. */
export function serializeJobDetail(job: JobDetailRow, tasks: TaskRow[], results: ResultRow[], origin = "") {
  const base = serializeJob(job);
  const byTask = resultsByTask(results);
  const { gpu_models: _g, quickmark_aggregate_results: _q, performance: _p, performance_nodes: _pn, ...detail } = base;
  return {
    ...detail,
    tasks: tasks.map((t) => serializeTask(t, byTask.get(t.id) ?? [], taskReportUrl(job.id, t.id, origin))),
    benchmark_results: resultsMap(results.filter((r) => r.taskId === null)),
    pdf_report_url: jobReportUrl(job.id, origin),
    scoreboard_summary: (job.performance as Record<string, unknown> | null)?.scoreboard_summary ?? null,
  };
}

/**
 * GET /jobs/{id}?include_tasks=false&include_results=false (the older SiliconMark switches):
 * the parts asked out are left out entirely, results of the nodes too, rather than sent empty.
 */
export function selectJobDetailParts<T extends ReturnType<typeof serializeJobDetail>>(
  detail: T,
  parts: { include_tasks: boolean; include_results: boolean },
) {
  const { tasks, benchmark_results, ...rest } = detail;
  const nodeTasks = parts.include_results ? tasks : tasks.map(({ benchmark_results: _r, ...t }) => t);
  return {
    ...rest,
    ...(parts.include_tasks ? { tasks: nodeTasks } : {}),
    ...(parts.include_results ? { benchmark_results } : {}),
  };
}
