import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { signJobToken } from "../auth/tokens";
import { ConflictError, InvalidStateError, JobNotFoundError } from "../api/errors";
import { assertMayActOnJob, type Action } from "../auth/permissions";
import { Prisma } from "../generated/prisma/client";
import { clock, randomId } from "../util/clock";
import { jobRequirementsShape, type CreateJobInput, type JobRequirements, type UpdateJobInput } from "./schemas";
import { buildBenchmarkSequence } from "./benchmark-sequence";
import { serializeJob } from "./serialize";
import { ACTIVE_STATES, isActive } from "./states";
import { abortJob } from "./lifecycle";
import { forgetAgentJob } from "../agent/job-cache";
import { toJsonColumn } from "../db/json-columns";

export const JOB_TTL_MS = 24 * 60 * 60 * 1000;

function nameTaken(name: string): ConflictError {
  return new ConflictError(`Job with name '${name}' already exists`);
}

/** The live-name unique index (jobs_customer_live_name_key) is the real guard against races. */
function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

async function assertNameFree(db: Db, customerId: number, name: string, exceptId?: bigint) {
  const clash = await db.job.findFirst({
    where: { customerId, name, deletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw nameTaken(name);
}

function requirementsOf(input: CreateJobInput): JobRequirements | undefined {
  const picked = Object.fromEntries(
    (Object.keys(jobRequirementsShape) as (keyof JobRequirements)[])
      .filter((k) => input[k] !== undefined)
      .map((k) => [k, input[k]]),
  );
  return Object.keys(picked).length ? picked : undefined;
}

function generatedName(now: Date): string {
  return `job-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}-${randomId(2)}`;
}

/** Why a job exists (jobs.origin) and, for jobs aimed at enrolled machines, which ones. */
export interface JobOrigin {
  origin: "manual" | "schedule" | "confirmation";
  /** Enrolled machines the job is meant for (job_targets); their service agents pick it up. */
  machineIds?: number[];
  /** origin = confirmation: the node whose verdict the re-run confirms. */
  confirmsTaskId?: bigint;
}

export async function createJob(
  db: Db,
  caller: Pick<Caller, "customerId" | "userId">,
  input: CreateJobInput,
  from: JobOrigin = { origin: "manual" },
) {
  const sequence = buildBenchmarkSequence(input.benchmarks);
  const now = clock.now();
  const name = input.name ?? generatedName(now);
  await assertNameFree(db, caller.customerId, name);
  const expiresAt = new Date(now.getTime() + JOB_TTL_MS);
  try {
    const job = await db.$transaction(async (tx) => {
      // The token embeds the id, so the row is written first and the token second.
      const created = await tx.job.create({
        data: {
          customerId: caller.customerId,
          userId: caller.userId,
          name,
          description: input.description ?? null,
          nodeCount: input.node_count,
          tags: input.tags,
          benchmarkSequence: toJsonColumn(sequence),
          benchmarkIds: [...new Set(sequence.map((s) => s.benchmark_id))],
          state: "created",
          token: "",
          requirements: requirementsOf(input) as Prisma.InputJsonValue | undefined,
          origin: from.origin,
          confirmsTaskId: from.confirmsTaskId ?? null,
          createdAt: now,
          expiresAt,
        },
      });
      if (from.machineIds?.length)
        await tx.jobTarget.createMany({ data: from.machineIds.map((machineId) => ({ jobId: created.id, machineId })) });
      const token = await signJobToken(created.id, expiresAt);
      return tx.job.update({ where: { id: created.id }, data: { token } });
    });
    const j = serializeJob(job);
    return {
      id: j.id,
      name: j.name,
      description: j.description,
      node_count: j.node_count,
      benchmarks: j.benchmarks,
      benchmark_sequence: j.benchmark_sequence,
      tags: j.tags,
      state: j.state,
      token: j.token,
      created_at: j.created_at,
      expires_at: j.expires_at,
      requirements: job.requirements ?? null,
    };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name);
    throw err;
  }
}

/** A live job the caller may apply `action` to, per the permission table (404 / 403 otherwise). */
async function jobForAction(db: Db, caller: Caller, action: Action, id: bigint) {
  const job = await db.job.findFirst({ where: { id, deletedAt: null } });
  if (!job) throw new JobNotFoundError(id);
  assertMayActOnJob(caller, action, job);
  return job;
}

/** Dashboard extension: rename, describe and (re)tag a visible job. */
export async function updateJob(db: Db, caller: Caller, id: bigint, input: UpdateJobInput) {
  const job = await jobForAction(db, caller, "update", id);
  if (input.name !== undefined && input.name !== job.name) await assertNameFree(db, job.customerId, input.name, id);
  try {
    const updated = await db.job.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
      },
    });
    return serializeJob(updated);
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name ?? job.name);
    throw err;
  }
}

/**
 * Soft delete: who may delete what is the permission table's `delete` column (404 for a job
 * the caller cannot see, 403 for one they see but may not delete — staff, root admins outside
 * their customer), and never while agents are running it (400).
 */
export async function deleteJob(db: Db, caller: Caller, id: bigint) {
  const job = await jobForAction(db, caller, "delete", id);
  if (isActive(job.state)) {
    throw new InvalidStateError(`Job ${id} is ${job.state}; cancel it or wait for it to end before deleting`);
  }
  // Conditional update: a job that started between the read and the write is left alone.
  const now = clock.now();
  const res = await db.job.updateMany({
    where: { id, deletedAt: null, state: { notIn: [...ACTIVE_STATES] } },
    data: { deletedAt: now },
  });
  if (res.count === 0) throw new InvalidStateError(`Job ${id} changed state; try again`);
  forgetAgentJob(id);
  return { message: "Job deleted successfully", requires_agent_stop: false };
}

/** Cancel: a live job ends as aborted (its agents learn it from their heartbeat). */
export async function cancelJob(db: Db, caller: Caller, id: bigint) {
  const job = await jobForAction(db, caller, "cancel", id);
  if (!(await abortJob(db, id, `Cancelled by ${caller.email}`))) {
    throw new InvalidStateError(`Job ${id} has already ended (${job.state})`, 409);
  }
  const after = await db.job.findUniqueOrThrow({ where: { id } });
  return { id: id.toString(), state: after.state, cancelled_at: after.endedAt?.toISOString() ?? null };
}
