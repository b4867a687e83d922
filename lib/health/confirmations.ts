import type { Db } from "../db/client";
import { env } from "../config/env";
import { createJob } from "../jobs/commands";
import { createJobSchema } from "../jobs/schemas";
import { LIVE_STATES } from "../jobs/states";
import { findBenchmark } from "../benchmarks/catalog";
import { readBenchmarkSequence, readNodePerformance } from "../db/json-columns";
import { ensureQueue } from "../queue/boss";
import { logger } from "../ops/logger";
import { nodeEvidence } from "./evidence";
import { lockMachine, markSuspect, recordHealthEvent } from "./transitions";

/**
 * Confirm before accusing (docs/architecture.md, "Machine health"). A node scored
 * underperforming or regressed on an enrolled machine gets one re-run on that machine alone;
 * only a re-run that is still bad makes the machine suspect, one that is fine is noted as a
 * transient. Machines that are not enrolled cannot be re-run on demand: their verdict stays
 * on the Performance page and an admin may quarantine them directly. CONFIRM_RERUNS=0 skips
 * the re-run: any bad verdict makes its machine suspect at once.
 */
export const CONFIRM_QUEUE = "health-confirm";

const BAD = new Set(["underperforming", "regressed"]);

export async function ensureConfirmQueue() {
  // stately + a singleton key per machine: at most one re-run request waits per machine, so a
  // burst of bad verdicts makes one re-run.
  return ensureQueue(CONFIRM_QUEUE, { policy: "stately", retryLimit: 5, retryDelay: 10, retryBackoff: true });
}

async function jobWithTasks(db: Db, jobId: bigint) {
  return db.job.findUnique({
    where: { id: jobId },
    include: { tasks: { where: { state: { not: "rejected" } }, orderBy: { id: "asc" } } },
  });
}

/** After a job's nodes are scored: re-runs to queue, or the outcome of a confirmation re-run. */
export async function afterJobScored(db: Db, jobId: bigint): Promise<void> {
  const job = await jobWithTasks(db, jobId);
  if (!job) return;
  if (job.origin === "confirmation") return resolveConfirmation(db, job);
  for (const task of job.tasks) {
    const perf = readNodePerformance(task.performance);
    if (!perf || !BAD.has(perf.status)) continue;
    const machine = await db.machine.findUnique({
      where: { customerId_uuid: { customerId: job.customerId, uuid: task.machineUuid } },
    });
    if (!machine) continue;
    if (!env("CONFIRM_RERUNS")) {
      const evidence = { original: nodeEvidence(task, job.name, perf), confirmation: null };
      await db.$transaction((tx) => markSuspect(tx, machine.id, evidence));
    } else if (machine.enrolledAt) {
      const boss = await ensureConfirmQueue();
      await boss.send(CONFIRM_QUEUE, { task_id: task.id.toString() }, { singletonKey: `machine:${machine.id}` });
    }
  }
}

/** The confirmation re-run's node was scored: still bad → suspect; fine → transient; no verdict → inconclusive. */
async function resolveConfirmation(db: Db, job: NonNullable<Awaited<ReturnType<typeof jobWithTasks>>>) {
  if (!job.confirmsTaskId) return;
  const original = await db.task.findUnique({ where: { id: job.confirmsTaskId }, include: { job: true } });
  const rerun = job.tasks.find((t) => t.machineUuid === original?.machineUuid);
  if (!original || !rerun) return;
  const machine = await db.machine.findUnique({
    where: { customerId_uuid: { customerId: original.job.customerId, uuid: original.machineUuid } },
  });
  if (!machine) return;
  const rerunPerf = readNodePerformance(rerun.performance);
  const evidence = {
    original: nodeEvidence(original, original.job.name, readNodePerformance(original.performance)),
    confirmation: nodeEvidence(rerun, job.name, rerunPerf),
  };
  await db.$transaction(async (tx) => {
    if (rerunPerf && BAD.has(rerunPerf.status)) return void (await markSuspect(tx, machine.id, evidence));
    const { state } = await lockMachine(tx, machine.id);
    const transient = rerunPerf?.status === "ok";
    await recordHealthEvent(tx, {
      machineId: machine.id,
      kind: transient ? "transient" : "inconclusive",
      from: state,
      to: state,
      note: transient
        ? `Transient: node ${evidence.original.task_id} was ${evidence.original.verdict}, its re-run ${rerun.id} was ok`
        : `Inconclusive: the re-run ${rerun.id} of node ${evidence.original.task_id} has no verdict`,
      evidence,
    });
  });
}

/**
 * The queue's work: creates the confirmation job aimed at the node's machine, owned by the
 * original job's user, with the original's single-node benchmarks. Nothing when the node was
 * already re-run, a re-run of the machine is still live, or the machine is quarantined.
 */
export async function queueConfirmationJob(db: Db, taskId: bigint): Promise<bigint | null> {
  const task = await db.task.findUnique({ where: { id: taskId }, include: { job: true } });
  if (!task) return null;
  const machine = await db.machine.findUnique({
    where: { customerId_uuid: { customerId: task.job.customerId, uuid: task.machineUuid } },
  });
  if (!machine?.enrolledAt || machine.healthState === "quarantined") return null;
  const already = await db.job.findFirst({
    where: {
      origin: "confirmation",
      OR: [
        { confirmsTaskId: taskId },
        { state: { in: [...LIVE_STATES] }, targets: { some: { machineId: machine.id } } },
      ],
    },
    select: { id: true },
  });
  if (already) return null;
  const benchmarks = readBenchmarkSequence(task.job.benchmarkSequence)
    .filter((s) => (findBenchmark(s.benchmark_id)?.min_nodes ?? 1) <= 1)
    .map((s) => ({ benchmark_id: s.benchmark_id, config: s.config }));
  const perf = readNodePerformance(task.performance);
  const input = createJobSchema.parse({
    name: `confirm-${task.id}`,
    description: `Confirmation re-run of node ${task.id} (job ${task.job.id}), scored ${perf?.status ?? "unknown"}`,
    benchmarks,
    node_count: 1,
    tags: ["confirmation"],
  });
  const job = await createJob(db, { customerId: task.job.customerId, userId: task.job.userId }, input, {
    origin: "confirmation",
    machineIds: [machine.id],
    confirmsTaskId: task.id,
  });
  logger().info({ task_id: task.id.toString(), job_id: job.id, machine_id: machine.id }, "confirmation re-run queued");
  return BigInt(job.id);
}
