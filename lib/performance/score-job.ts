import type { Db } from "../db/client";
import { performanceThreshold } from "./metrics";
import { loadOwnBaseline } from "./history";
import { loadReferences } from "./references";
import { rollUpJob, scoreQuickmark, type NodePerformance } from "./scoring";
import { toJsonColumn } from "../db/json-columns";
import { announceRegressedNode } from "../health/announce";
import { emitJobUnderperforming } from "../jobs/events";

/**
 * Scores every node of a job from its stored quick_mark result and stores the roll-up on
 * the job (performance_status, performance) and each task, so lists, stats and the badge
 * read stored values instead of recomputing per request.
 */
export async function scoreJob(db: Db, jobId: bigint): Promise<void> {
  const tasks = await db.task.findMany({
    where: { jobId },
    orderBy: { id: "asc" },
    include: { job: { select: { customerId: true, name: true } } },
  });
  const results = await db.benchmarkResult.findMany({
    where: { jobId, benchmarkId: "quick_mark", state: "completed", taskId: { not: null } },
    orderBy: { id: "asc" },
  });
  const latest = new Map<bigint, (typeof results)[number]>();
  for (const r of results) latest.set(r.taskId!, r);
  const refs = await loadReferences(
    db,
    tasks.map((t) => t.gpuModel).filter((g): g is string => !!g),
  );
  const threshold = performanceThreshold();
  const nodes: { machineUuid: string; gpuModel: string | null; perf: NodePerformance | null }[] = [];
  for (const t of tasks) {
    const r = latest.get(t.id);
    const baseline =
      r && t.gpuModel
        ? await loadOwnBaseline(db, {
            customerId: t.job.customerId,
            machineUuid: t.machineUuid,
            gpuModel: t.gpuModel,
            taskId: t.id,
            before: t.createdAt,
          })
        : undefined;
    const perf = r && t.gpuModel ? scoreQuickmark(r.results, refs.get(t.gpuModel) ?? {}, threshold, baseline) : null;
    nodes.push({ machineUuid: t.machineUuid, gpuModel: t.gpuModel, perf });
    const data = { performance: toJsonColumn(perf ?? { status: "unknown" }) };
    if (perf?.status === "regressed")
      // node.regressed is written with the verdict it reports (lib/events/outbox.ts).
      await db.$transaction(async (tx) => {
        await tx.task.update({ where: { id: t.id }, data });
        await announceRegressedNode(tx, t, t.job, perf);
      });
    else await db.task.update({ where: { id: t.id }, data });
    if (perf) {
      await db.machine.updateMany({
        where: { uuid: t.machineUuid, lastJobId: jobId },
        data: { lastPerformanceStatus: perf.status },
      });
    }
  }
  const job = rollUpJob(nodes, threshold);
  await db.$transaction(async (tx) => {
    // Announced once: when an ended job's roll-up becomes underperforming, not on every re-score.
    const [before] = await tx.$queryRaw<{ performance_status: string }[]>`
      SELECT performance_status FROM jobs WHERE id = ${jobId} FOR UPDATE`;
    const updated = await tx.job.update({
      where: { id: jobId },
      data: { performanceStatus: job.status, performance: toJsonColumn(job) },
    });
    if (job.status === "underperforming" && before?.performance_status !== "underperforming" && updated.endedAt)
      await emitJobUnderperforming(tx, updated, job, nodes);
  });
}
