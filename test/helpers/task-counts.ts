import { getDb } from "../../lib/db/client";

/** Live tasks: those of jobs not (soft-)deleted. */
export const LIVE_TASKS = "FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.deleted_at IS NULL";

/**
 * The trigger-kept task counters (migration 20261130090000_task_counters) beside a recount of
 * the live tasks, per customer, user and state (the shards summed): equal whenever the triggers
 * kept up (zero rows may stay in the table, so they are left out).
 */
export async function taskCountsAndRecount() {
  const db = await getDb();
  const kept = await db.$queryRawUnsafe<{ k: string; n: number }[]>(
    `SELECT customer_id || '/' || user_id || '/' || state AS k, sum(tasks)::int AS n FROM task_counts
      GROUP BY 1 HAVING sum(tasks) <> 0 ORDER BY 1`,
  );
  const recount = await db.$queryRawUnsafe<{ k: string; n: number }[]>(
    `SELECT j.customer_id || '/' || j.user_id || '/' || t.state AS k, count(*)::int AS n ${LIVE_TASKS}
      GROUP BY 1 ORDER BY 1`,
  );
  return { kept, recount };
}
