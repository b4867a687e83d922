import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import type { BenchmarkResult, Job, Task } from "../generated/prisma/client";
import { jobVisibilityWhere } from "../auth/visibility";
import { JobNotFoundError, NotFoundError } from "../api/errors";
import type { JobPerformance, NodePerformance } from "../performance/scoring";

/**
 * Everything a report or results archive shows about a job, read once from the stored
 * results. Reports are rendered on request from this, never stored.
 */
export interface ReportNode {
  task: Task;
  hostname: string | null;
  /** Latest upload of each benchmark, in upload order. */
  results: BenchmarkResult[];
  performance: NodePerformance | null;
}

export interface ReportModel {
  job: Job;
  customerName: string;
  nodes: ReportNode[];
  /** Cluster-level (job) results. */
  results: BenchmarkResult[];
  performance: JobPerformance | null;
}

/** Keeps the latest upload per benchmark (as the API's results map does), oldest first. */
function latestPerBenchmark(results: BenchmarkResult[]): BenchmarkResult[] {
  const latest = new Map<string, BenchmarkResult>();
  for (const r of [...results].sort((a, b) => (a.id < b.id ? -1 : 1))) latest.set(r.benchmarkId, r);
  return [...latest.values()];
}

function hostnameOf(task: Task): string | null {
  const h = (task.inventory as Record<string, unknown> | null)?.hostname;
  return typeof h === "string" && h ? h : null;
}

function nodePerformance(task: Task): NodePerformance | null {
  const p = task.performance as (NodePerformance & { metrics?: unknown }) | null;
  return p && p.metrics ? p : null;
}

/** The job as its caller may see it (404 otherwise, like GET /jobs/{id}). */
export async function loadReportModel(db: Db, caller: Caller, jobId: bigint): Promise<ReportModel> {
  const job = await db.job.findFirst({
    where: { AND: [jobVisibilityWhere(caller), { id: jobId }] },
    include: { customer: { select: { name: true } }, tasks: { orderBy: { id: "asc" } }, results: true },
  });
  if (!job) throw new JobNotFoundError(jobId);
  const { customer, tasks, results, ...row } = job;
  const perf = row.performance as JobPerformance | null;
  return {
    job: row,
    customerName: customer.name,
    nodes: tasks.map((task) => ({
      task,
      hostname: hostnameOf(task),
      results: latestPerBenchmark(results.filter((r) => r.taskId === task.id)),
      performance: nodePerformance(task),
    })),
    results: latestPerBenchmark(results.filter((r) => r.taskId === null)),
    performance: perf && perf.metrics ? perf : null,
  };
}

export function findReportNode(model: ReportModel, taskId: bigint): ReportNode {
  const node = model.nodes.find((n) => n.task.id === taskId);
  if (!node) throw new NotFoundError(`Task with id ${taskId} not found in job ${model.job.id}`);
  return node;
}
