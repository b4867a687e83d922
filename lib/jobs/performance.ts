import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { findVisibleJob } from "./queries";
import { readJobPerformance, readNodePerformance } from "../db/json-columns";

/**
 * A job's stored performance verdict with every node's per-metric figures against its GPU
 * model's reference: what the job detail charts plot. The same data the list returns with
 * include=performance,performance_nodes, for one job.
 */
export async function getJobPerformance(db: Db, caller: Caller, id: bigint) {
  const job = await findVisibleJob(db, caller, id);
  const tasks = await db.task.findMany({
    where: { jobId: id, state: { not: "rejected" } },
    select: { id: true, machineUuid: true, gpuModel: true, gpuCount: true, performance: true },
    orderBy: { id: "asc" },
  });
  const perf = readJobPerformance(job.performance);
  return {
    job_id: job.id.toString(),
    status: job.performanceStatus,
    ...(perf ?? {}),
    nodes: tasks.map((t) => ({
      task_id: t.id.toString(),
      machine_uuid: t.machineUuid,
      gpu_model: t.gpuModel,
      gpu_count: t.gpuCount,
      ...(readNodePerformance(t.performance) ?? { status: "unknown" as const }),
    })),
  };
}
