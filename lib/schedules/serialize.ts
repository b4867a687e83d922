import type { Job, Schedule, ScheduleRun } from "../generated/prisma/client";
import { readBenchmarkSequence } from "../db/json-columns";
import { nextTick } from "./cron";
import { scheduleTag } from "./schemas";

type RunRow = ScheduleRun & { job: Pick<Job, "id" | "name" | "state" | "performanceStatus" | "deletedAt"> | null };
export type ScheduleRow = Schedule & {
  customer: { name: string };
  user: { email: string };
  runs: RunRow[];
};

export function serializeRun(r: RunRow) {
  const job = r.job && !r.job.deletedAt ? r.job : null;
  return {
    tick_at: r.tickAt.toISOString(),
    created_at: r.createdAt.toISOString(),
    job: job
      ? { id: job.id.toString(), name: job.name, state: job.state, performance_status: job.performanceStatus }
      : null,
    machine_count: r.machineCount,
    skipped_reason: r.skippedReason,
  };
}

export function serializeSchedule(s: ScheduleRow, now: Date) {
  const sequence = readBenchmarkSequence(s.benchmarks);
  return {
    id: s.id,
    name: s.name,
    customer_id: s.customerId,
    customer: s.customer.name,
    created_by: s.user.email,
    cron: s.cron,
    benchmarks: sequence.map((b) => b.benchmark_id),
    benchmark_sequence: sequence,
    target: {
      gpu_model: s.targetGpuModel,
      machine_ids: s.targetMachineIds,
      tags: s.targetTags,
    },
    only_idle: s.onlyIdle,
    paused: s.paused,
    tag: scheduleTag(s.name),
    next_tick_at: s.paused ? null : (nextTick(s.cron, now)?.toISOString() ?? null),
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    runs: s.runs.map(serializeRun),
  };
}
