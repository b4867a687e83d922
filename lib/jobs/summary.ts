import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { jobVisibilityWhere } from "../auth/visibility";
import { BENCHMARKS } from "../benchmarks/catalog";
import { clock } from "../util/clock";
import { countJobs, type CountFilters } from "./counts";
import { JOB_STATES, WAITING_STATES, type JobState } from "./states";

/** Jobs waiting for nodes (queue view): created, or started but not all nodes joined. */

/**
 * Stats and queue over the caller's visible jobs: counts by state and by
 * benchmark, and how many jobs wait for nodes and for how long.
 */
export async function jobSummary(db: Db, caller: Caller) {
  const visible = jobVisibilityWhere(caller);
  // Exact totals through the same counters as the list and the badge (lib/jobs/counts.ts).
  const count = (filters: CountFilters) => countJobs(db, caller, filters);
  const [byState, byBenchmark, waiting] = await Promise.all([
    Promise.all(JOB_STATES.map(async (s) => [s, await count({ state: s })] as const)),
    Promise.all(BENCHMARKS.map(async (b) => [b.id, await count({ benchmark_id: b.id })] as const)),
    db.job.aggregate({
      where: { AND: [visible, { state: { in: [...WAITING_STATES] } }] },
      _count: { _all: true },
      _min: { createdAt: true },
      _sum: { nodeCount: true, currentNodes: true },
    }),
  ]);
  const states = Object.fromEntries(byState) as Record<JobState, number>;
  const oldest = waiting._min.createdAt;
  return {
    total_jobs: Object.values(states).reduce((a, b) => a + b, 0),
    by_state: states,
    by_benchmark: Object.fromEntries(byBenchmark),
    queue: {
      waiting_jobs: waiting._count._all,
      created: states.created,
      starting: states.starting,
      nodes_missing: (waiting._sum.nodeCount ?? 0) - (waiting._sum.currentNodes ?? 0),
      oldest_created_at: oldest?.toISOString() ?? null,
      oldest_wait_seconds: oldest ? Math.max(0, Math.floor((clock.now().getTime() - oldest.getTime()) / 1000)) : null,
    },
  };
}
