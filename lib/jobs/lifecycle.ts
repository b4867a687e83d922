import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { clock } from "../util/clock";
import { refreshFleetReferences } from "../performance/references";
import { scoreJob } from "../performance/score-job";
import { afterJobScored } from "../health/confirmations";
import { logger } from "../ops/logger";
import { storeJobLevelResults } from "./rollup";
import { isActive, isLive, LIVE_STATES, type JobState } from "./states";
import type { JobRequirements } from "./schemas";
import { env } from "../config/env";
import { emitJobEnded } from "./events";
import { forgetAgentJob } from "../agent/job-cache";

/**
 * The job state machine: created → starting (first node) → running (all node_count nodes
 * joined) → completed | completed_with_warnings | failed | aborted. Every transition is a
 * conditional update on the current state, so concurrent agents and several app instances
 * can race without double transitions.
 */
export function heartbeatTimeoutMs(): number {
  return env("AGENT_HEARTBEAT_TIMEOUT_SECONDS") * 1000;
}

type Tx = Prisma.TransactionClient;
const TX_OPTIONS = { timeout: 60_000, maxWait: 60_000 };

/** Serialises end-of-job work per job across concurrent agents and app instances. */
export async function lockJob(tx: Tx, jobId: bigint) {
  await tx.$queryRaw`SELECT id FROM jobs WHERE id = ${jobId} FOR UPDATE`;
  return tx.job.findUniqueOrThrow({ where: { id: jobId } });
}

/**
 * Performance needs the fleet references refreshed first; both run after the job's
 * transaction. Then machine health: confirmation re-runs of bad nodes, or the outcome of a
 * re-run (lib/health/confirmations.ts).
 */
async function scoreEndedJob(db: Db, jobId: bigint) {
  const models = await db.task.findMany({
    where: { jobId, gpuModel: { not: null } },
    select: { gpuModel: true },
    distinct: ["gpuModel"],
  });
  await refreshFleetReferences(
    db,
    models.map((m) => m.gpuModel!),
  );
  await scoreJob(db, jobId);
  // The job has ended and is scored either way: a health step that fails is logged, not
  // reported to the agent whose finish ended the job.
  await afterJobScored(db, jobId).catch((err) =>
    logger().error({ job_id: jobId.toString(), err }, "machine health step failed after scoring"),
  );
}

/** Ends a live job as aborted (cancel, expiry, timeouts); running tasks are aborted too. */
export async function abortJob(db: Db, jobId: bigint, message: string): Promise<boolean> {
  const aborted = await db.$transaction(async (tx) => {
    const job = await lockJob(tx, jobId);
    if (!isLive(job.state)) return false;
    const now = clock.now();
    const ended = await tx.job.update({
      where: { id: jobId },
      data: { state: "aborted", endedAt: now, failedMessage: message },
    });
    await emitJobEnded(tx, ended);
    await tx.task.updateMany({
      where: { jobId, state: "running" },
      data: { state: "aborted", endedAt: now, failedMessage: message },
    });
    // Whatever the nodes managed to report stays visible as the job's results.
    await storeJobLevelResults(tx, jobId);
    return true;
  }, TX_OPTIONS);
  if (aborted) {
    forgetAgentJob(jobId);
    await scoreEndedJob(db, jobId);
  }
  return aborted;
}

type TaskRow = { id: bigint; state: string; machineUuid: string; failedMessage: string | null };

/** completed: every node ran every benchmark; failed: no node completed any; else with warnings. */
export function finalJobState(tasks: TaskRow[], sequence: string[], resultState: Map<string, string>) {
  const ok = (t: TaskRow, b: string) => resultState.get(`${t.id}:${b}`) === "completed";
  const clean = (t: TaskRow) => t.state === "completed" && sequence.every((b) => ok(t, b));
  const allFailed = tasks.every((t) => t.state !== "completed" || !sequence.some((b) => ok(t, b)));
  const state: JobState = allFailed ? "failed" : tasks.every(clean) ? "completed" : "completed_with_warnings";
  const failedMessage =
    state === "completed"
      ? null
      : tasks
          .filter((t) => !clean(t))
          .map(
            (t) =>
              `${t.machineUuid}: ${t.failedMessage ?? `failed or missing ${sequence.filter((b) => !ok(t, b)).join(", ")}`}`,
          )
          .join("; ")
          .slice(0, 4000);
  return { state, failedMessage };
}

/**
 * Within the caller's transaction: once every expected node has joined and ended, the job
 * ends as completed, completed_with_warnings (some benchmark or node failed) or failed (all
 * failed), with its job-level results stored. True when it ended the job; the caller then
 * scores it (endedJobScored) after committing.
 */
export async function endJobIfDoneTx(tx: Tx, jobId: bigint): Promise<boolean> {
  const job = await lockJob(tx, jobId);
  if (!isActive(job.state)) return false;
  // Every node's finish asks this under the job's lock: count first (an index walk), and read
  // the nodes and their results only when the last one has ended.
  const [count] = await tx.$queryRaw<{ ended: number; running: number }[]>`
    SELECT count(*) FILTER (WHERE state <> 'running')::int AS ended, count(*) FILTER (WHERE state = 'running')::int AS running
    FROM tasks WHERE job_id = ${jobId} AND state <> 'rejected'`;
  if (count.running > 0 || count.ended < job.nodeCount) return false;
  const tasks = await tx.task.findMany({ where: { jobId, state: { not: "rejected" } } });
  if (tasks.length < job.nodeCount || tasks.some((t) => t.state === "running")) return false;
  const results = await tx.benchmarkResult.findMany({
    where: { jobId, taskId: { not: null } },
    select: { taskId: true, benchmarkId: true, state: true },
    orderBy: { id: "asc" },
  });
  const resultState = new Map(results.map((r) => [`${r.taskId}:${r.benchmarkId}`, r.state]));
  const sequence = (job.benchmarkSequence as { benchmark_id: string }[]).map((s) => s.benchmark_id);
  const { state, failedMessage } = finalJobState(tasks, sequence, resultState);
  await storeJobLevelResults(tx, jobId);
  const ended = await tx.job.update({ where: { id: jobId }, data: { state, endedAt: clock.now(), failedMessage } });
  await emitJobEnded(tx, ended);
  return true;
}

/**
 * Ends a node's task and, when it was the last, its job — in ONE transaction, so a crash or
 * a database restart between the two cannot leave every node ended under a live job. A
 * retried finish (the task already in `state`) only repeats the job check.
 */
export async function finishTaskAndJob(
  db: Db,
  jobId: bigint,
  taskId: bigint,
  state: "completed" | "failed",
  failedMessage: string | null,
): Promise<void> {
  const ended = await db.$transaction(async (tx) => {
    await lockJob(tx, jobId);
    await tx.task.updateMany({
      where: { id: taskId, state: "running" },
      data: {
        state,
        endedAt: clock.now(),
        failedMessage: state === "failed" ? (failedMessage ?? "Agent reported failure") : null,
      },
    });
    return endJobIfDoneTx(tx, jobId);
  }, TX_OPTIONS);
  if (ended) await scoreEndedJob(db, jobId);
}

/** Ends the job when all its nodes have ended (the sweeper's repair of a job left live). */
export async function endJobIfDone(db: Db, jobId: bigint): Promise<boolean> {
  const ended = await db.$transaction((tx) => endJobIfDoneTx(tx, jobId), TX_OPTIONS);
  if (ended) await scoreEndedJob(db, jobId);
  return ended;
}

export interface SweepReport {
  expired: bigint[];
  joinTimedOut: bigint[];
  runTimedOut: bigint[];
  lostNodes: bigint[];
  /** Live jobs whose nodes had all ended (a finish interrupted before the job was ended). */
  finished: bigint[];
}

/**
 * Ends live jobs whose nodes have all ended, and what can no longer finish: expired tokens, nodes that never came within
 * max_timeout_assign_ms, runs over max_timeout_run_ms, nodes that stopped heartbeating.
 * Runs periodically in every app instance (instrumentation.ts); safe to run concurrently.
 */
export async function sweepJobs(db: Db): Promise<SweepReport> {
  const now = clock.now();
  const report: SweepReport = { expired: [], joinTimedOut: [], runTimedOut: [], lostNodes: [], finished: [] };

  // First, so a job whose nodes all completed ends with the state their results imply
  // instead of being aborted later for an expired token.
  const allEnded = await db.$queryRaw<{ id: bigint }[]>`
    SELECT j.id FROM jobs j
    WHERE j.state IN ('starting', 'running') AND j.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.job_id = j.id AND t.state = 'running')
      AND (SELECT count(*) FROM tasks t WHERE t.job_id = j.id AND t.state <> 'rejected') >= j.node_count`;
  for (const j of allEnded) if (await endJobIfDone(db, j.id)) report.finished.push(j.id);

  const expired = await db.job.findMany({
    where: { state: { in: [...LIVE_STATES] }, expiresAt: { lt: now }, deletedAt: null },
    select: { id: true },
  });
  for (const j of expired)
    if (await abortJob(db, j.id, "Job token expired before the job finished")) report.expired.push(j.id);

  const withTimeouts = await db.job.findMany({
    where: { state: { in: [...LIVE_STATES] }, deletedAt: null, requirements: { not: Prisma.DbNull } },
    select: {
      id: true,
      state: true,
      createdAt: true,
      startedAt: true,
      nodeCount: true,
      currentNodes: true,
      requirements: true,
    },
  });
  for (const j of withTimeouts) {
    const req = (j.requirements ?? {}) as JobRequirements;
    if (
      req.max_timeout_assign_ms &&
      j.state !== "running" &&
      j.createdAt.getTime() + req.max_timeout_assign_ms < now.getTime()
    ) {
      const msg = `Only ${j.currentNodes} of ${j.nodeCount} nodes joined within ${Math.round(req.max_timeout_assign_ms / 1000)} s`;
      if (await abortJob(db, j.id, msg)) report.joinTimedOut.push(j.id);
    } else if (
      req.max_timeout_run_ms &&
      j.startedAt &&
      j.startedAt.getTime() + req.max_timeout_run_ms < now.getTime()
    ) {
      const msg = `Job did not finish within max_timeout_run_ms (${Math.round(req.max_timeout_run_ms / 1000)} s after it started)`;
      if (await abortJob(db, j.id, msg)) report.runTimedOut.push(j.id);
    }
  }

  const cutoff = new Date(now.getTime() - heartbeatTimeoutMs());
  const lost = await db.task.findMany({
    where: { state: "running", lastHeartbeatAt: { lt: cutoff }, job: { state: { in: [...LIVE_STATES] } } },
    select: { id: true, jobId: true, machineUuid: true },
  });
  for (const t of lost) {
    const msg = `Node ${t.machineUuid} stopped heartbeating (none for ${Math.round(heartbeatTimeoutMs() / 1000)} s)`;
    const res = await db.task.updateMany({
      where: { id: t.id, state: "running" },
      data: { state: "failed", endedAt: now, failedMessage: msg },
    });
    if (res.count && (await abortJob(db, t.jobId, msg))) report.lostNodes.push(t.jobId);
  }
  return report;
}
