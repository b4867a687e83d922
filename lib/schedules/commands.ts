import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { ConflictError, ValidationError } from "../api/errors";
import { Prisma } from "../generated/prisma/client";
import { clock } from "../util/clock";
import { toJsonColumn } from "../db/json-columns";
import { buildBenchmarkSequence } from "../jobs/benchmark-sequence";
import { targetCustomerId } from "../enrollment/tokens";
import type { CreateScheduleInput, UpdateScheduleInput } from "./schemas";
import { findSchedule, scheduleInclude } from "./queries";
import { serializeSchedule } from "./serialize";

function nameTaken(name: string) {
  return new ConflictError(`A schedule named '${name}' already exists`);
}

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

type Target = CreateScheduleInput["target"];

function targetColumns(t: Target) {
  return {
    targetGpuModel: t.gpu_model ?? null,
    targetMachineIds: [...new Set(t.machine_ids ?? [])],
    targetTags: [...new Set(t.tags ?? [])],
  };
}

/** Machine ids must be the customer's machines (a 400 naming the strangers, never a silent no-op). */
async function assertOwnMachines(db: Db, customerId: number, ids: number[] | undefined) {
  if (!ids?.length) return;
  const found = await db.machine.findMany({ where: { customerId, id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((id) => !found.some((m) => m.id === id));
  if (missing.length)
    throw new ValidationError(`target.machine_ids: no machine ${missing.join(", ")} in this customer`, [
      { field: "target.machine_ids", message: `unknown machine ${missing.join(", ")}` },
    ]);
}

/** POST /schedules. Benchmarks are checked as POST /jobs checks them, once, at creation. */
export async function createSchedule(db: Db, caller: Caller, input: CreateScheduleInput) {
  const customerId = await targetCustomerId(db, caller, input.customer_id);
  const sequence = buildBenchmarkSequence(input.benchmarks);
  await assertOwnMachines(db, customerId, input.target.machine_ids);
  const now = clock.now();
  try {
    const row = await db.schedule.create({
      data: {
        customerId,
        userId: caller.userId,
        name: input.name,
        cron: input.cron,
        benchmarks: toJsonColumn(sequence),
        ...targetColumns(input.target),
        onlyIdle: input.only_idle,
        paused: input.paused,
        activeSince: now,
        createdAt: now,
        updatedAt: now,
      },
      include: scheduleInclude(0),
    });
    return serializeSchedule(row, now);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

/**
 * PATCH /schedules/{id}: edit, pause (`paused: true`) or resume. Resuming or changing the cron
 * starts afresh from now: ticks missed while paused are not run.
 */
export async function updateSchedule(db: Db, caller: Caller, id: number, input: UpdateScheduleInput) {
  const current = await findSchedule(db, caller, id, 0);
  if (input.target?.machine_ids) await assertOwnMachines(db, current.customerId, input.target.machine_ids);
  const now = clock.now();
  const restarts =
    (input.paused === false && current.paused) || (input.cron !== undefined && input.cron !== current.cron);
  try {
    const row = await db.schedule.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.cron !== undefined ? { cron: input.cron } : {}),
        ...(input.benchmarks !== undefined
          ? { benchmarks: toJsonColumn(buildBenchmarkSequence(input.benchmarks)) }
          : {}),
        ...(input.target !== undefined ? targetColumns(input.target) : {}),
        ...(input.only_idle !== undefined ? { onlyIdle: input.only_idle } : {}),
        ...(input.paused !== undefined ? { paused: input.paused } : {}),
        ...(restarts ? { activeSince: now } : {}),
        updatedAt: now,
      },
      include: scheduleInclude(20),
    });
    return serializeSchedule(row, now);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name ?? current.name);
    throw err;
  }
}

/** DELETE /schedules/{id}: no more ticks; the jobs it created stay, as ordinary jobs. */
export async function deleteSchedule(db: Db, caller: Caller, id: number) {
  await findSchedule(db, caller, id, 0);
  await db.schedule.delete({ where: { id } });
  return { id, deleted: true };
}
