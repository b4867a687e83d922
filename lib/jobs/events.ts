import type { Prisma } from "../generated/prisma/client";
import { emitEvent } from "../events/outbox";
import type { JobPerformance, NodePerformance } from "../performance/scoring";

/**
 * The job.* events webhooks receive (docs/api-contract.md, "Webhooks" lists these shapes).
 * Emitted inside the transaction that ends the job, so an ended job is announced exactly
 * once and a rolled-back end is never announced.
 */
type Tx = Prisma.TransactionClient;
type EndedJob = Pick<
  Prisma.JobGetPayload<object>,
  | "id"
  | "customerId"
  | "userId"
  | "name"
  | "state"
  | "origin"
  | "tags"
  | "nodeCount"
  | "failedMessage"
  | "createdAt"
  | "startedAt"
  | "endedAt"
>;

export function jobEventData(job: EndedJob) {
  return {
    job_id: job.id.toString(),
    name: job.name,
    state: job.state,
    origin: job.origin,
    tags: job.tags,
    node_count: job.nodeCount,
    created_by: job.userId,
    failed_message: job.failedMessage,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    ended_at: job.endedAt?.toISOString() ?? null,
  };
}

/** completed and completed_with_warnings → job.completed; failed and aborted → job.failed. */
export async function emitJobEnded(tx: Tx, job: EndedJob): Promise<void> {
  const type = job.state === "completed" || job.state === "completed_with_warnings" ? "job.completed" : "job.failed";
  await emitEvent(tx, job.customerId, type, jobEventData(job));
}

/** An ended job whose stored roll-up just became underperforming: which nodes, and how far below. */
export async function emitJobUnderperforming(
  tx: Tx,
  job: EndedJob,
  perf: JobPerformance,
  nodes: { machineUuid: string; gpuModel: string | null; perf: NodePerformance | null }[],
): Promise<void> {
  await emitEvent(tx, job.customerId, "job.underperforming", {
    ...jobEventData(job),
    performance: {
      status: perf.status,
      threshold: perf.threshold,
      nodes_total: perf.nodes_total,
      nodes_scored: perf.nodes_scored,
      nodes_underperforming: perf.nodes_underperforming,
      worst: perf.scoreboard_summary?.worst ?? null,
    },
    nodes: nodes
      .filter((n) => n.perf?.status === "underperforming")
      .map((n) => ({
        machine_uuid: n.machineUuid,
        gpu_model: n.gpuModel,
        underperforming_metrics: n.perf!.underperforming_metrics,
        slow_gpus: n.perf!.slow_gpus ?? [],
      })),
  });
}
