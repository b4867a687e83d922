import { z } from "../validation/zod";
import type { Prisma } from "../generated/prisma/client";
import type { BenchmarkStep } from "../jobs/serialize";
import type { JobPerformance, NodePerformance } from "../performance/scoring";
import type { HealthEvidence } from "../health/evidence";

/**
 * Typed readers and the one writer for the JSON columns: every read of a JSON column goes
 * through here, checked against its shape once, instead of a cast at each use.
 */

const benchmarkSequenceSchema = z.array(
  z.object({
    benchmark_id: z.string(),
    config: z.record(z.string(), z.unknown()).nullish(),
  }),
);

/** jobs.benchmark_sequence: written by createJob from its validated payload. */
export function readBenchmarkSequence(value: Prisma.JsonValue): BenchmarkStep[] {
  return benchmarkSequenceSchema.parse(value).map((s) => ({ benchmark_id: s.benchmark_id, config: s.config ?? null }));
}

// The scorer writes these (lib/performance/scoring.ts); its status is what every reader relies on.
const scoredSchema = z.looseObject({ status: z.enum(["ok", "underperforming", "regressed", "unknown"]) });

/** tasks.performance: a node's verdict, or null before it is scored. */
export function readNodePerformance(value: Prisma.JsonValue | null): NodePerformance | null {
  if (value === null) return null;
  return scoredSchema.parse(value) as unknown as NodePerformance;
}

/** jobs.performance: the job's roll-up, or null before the job is scored. */
export function readJobPerformance(value: Prisma.JsonValue | null): JobPerformance | null {
  if (value === null) return null;
  return scoredSchema.parse(value) as unknown as JobPerformance;
}

// Written by lib/health (both runs' evidence); readers rely on `original` being there.
const healthEvidenceSchema = z.looseObject({ original: z.looseObject({ task_id: z.string() }) });

/** machines.health_evidence and machine_health_events.evidence: what a health state rests on. */
export function readHealthEvidence(value: Prisma.JsonValue | null): HealthEvidence | null {
  if (value === null) return null;
  return healthEvidenceSchema.parse(value) as unknown as HealthEvidence;
}

/** A value built from plain data (objects, arrays, strings, numbers, booleans, null) for a JSON column. */
export function toJsonColumn(value: object): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
