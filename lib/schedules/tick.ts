import type { Db } from "../db/client";
import type { Schedule } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { clock } from "../util/clock";
import { createJob } from "../jobs/commands";
import { createJobSchema } from "../jobs/schemas";
import { readBenchmarkSequence } from "../db/json-columns";
import { agentStatusOf } from "../enrollment/status";
import { latestTick } from "./cron";
import { scheduleTag } from "./schemas";

/**
 * The enrolled machines a schedule's tick aims at: the customer's enrolled machines matching
 * every given target (machine ids; GPU model containing gpu_model, case-insensitive; carrying
 * every label in tags) whose agent is online — and idle, when only_idle.
 */
export async function matchingMachines(db: Db, s: Schedule, now: Date) {
  const candidates = await db.machine.findMany({
    where: {
      customerId: s.customerId,
      enrolledAt: { not: null },
      ...(s.targetMachineIds.length ? { id: { in: s.targetMachineIds } } : {}),
      ...(s.targetTags.length ? { labels: { hasEvery: s.targetTags } } : {}),
      ...(s.targetGpuModel ? { gpuModel: { contains: s.targetGpuModel, mode: "insensitive" as const } } : {}),
    },
    orderBy: { id: "asc" },
  });
  const online = candidates.filter((m) => agentStatusOf(m, now) !== "offline");
  const ready = s.onlyIdle ? online.filter((m) => agentStatusOf(m, now) === "idle") : online;
  const why =
    ready.length > 0
      ? null
      : candidates.length === 0
        ? "No enrolled machine matches the target"
        : online.length === 0
          ? `${candidates.length} matching machine(s), all offline`
          : `${online.length} matching machine(s) online, none idle`;
  return { machineIds: ready.map((m) => m.id), why };
}

function jobName(s: Schedule, tick: Date): string {
  return `${s.name}-${tick.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}`;
}

/** Claims the tick: true for exactly one caller, however many app servers evaluate it. */
async function claimTick(db: Db, scheduleId: number, tick: Date, now: Date): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO schedule_runs (schedule_id, tick_at, created_at) VALUES (${scheduleId}, ${tick}, ${now})
    ON CONFLICT (schedule_id, tick_at) DO NOTHING`;
  return inserted === 1;
}

/**
 * Runs one schedule's due tick if nobody has: claims it, then creates the job (origin
 * schedule, aimed at the matching machines through job_targets, tagged schedule:<name>), or
 * records why nothing ran. Returns the run's job id, null when skipped, undefined when the
 * tick was not due or already claimed.
 */
export async function runScheduleTick(db: Db, s: Schedule, now: Date): Promise<bigint | null | undefined> {
  const tick = latestTick(s.cron, now);
  if (!tick || tick.getTime() <= s.activeSince.getTime()) return undefined;
  if (!(await claimTick(db, s.id, tick, now))) return undefined;
  const { machineIds, why } = await matchingMachines(db, s, now);
  let jobId: bigint | null = null;
  let skipped = why;
  if (machineIds.length) {
    try {
      const input = createJobSchema.parse({
        name: jobName(s, tick),
        description: `Scheduled by "${s.name}" (cron ${s.cron}) for the tick at ${tick.toISOString()}`,
        benchmarks: readBenchmarkSequence(s.benchmarks),
        node_count: machineIds.length,
        tags: [scheduleTag(s.name)],
      });
      const job = await createJob(db, { customerId: s.customerId, userId: s.userId }, input, {
        origin: "schedule",
        machineIds,
      });
      jobId = BigInt(job.id);
    } catch (err) {
      skipped = `Could not create the job: ${(err as Error).message}`;
    }
  }
  await db.scheduleRun.update({
    where: { scheduleId_tickAt: { scheduleId: s.id, tickAt: tick } },
    data: { jobId, machineCount: jobId ? machineIds.length : 0, skippedReason: jobId ? null : skipped },
  });
  return jobId;
}

/** Every active schedule's due tick, once. A failing schedule does not hold up the others. */
export async function runDueSchedules(db: Db, now = clock.now()) {
  const schedules = await db.schedule.findMany({ where: { paused: false }, orderBy: { id: "asc" } });
  const created: bigint[] = [];
  for (const s of schedules) {
    try {
      const jobId = await runScheduleTick(db, s, now);
      if (jobId) created.push(jobId);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") continue; // deleted meanwhile
      throw err;
    }
  }
  return { created };
}
