import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";
import type { ListTasksQuery } from "./schemas";

/**
 * The exact total of GET /tasks. COUNT(*) over a big customer's million visible tasks costs
 * seconds, so when the list filters by state at most, the total is a sum over the
 * trigger-kept task_counts (migration 20261130090000_task_counters); a job, machine IP or
 * machine UUID filter narrows to a few rows, counted through their indexes. Both paths give
 * the same number (test/task-counters.test.ts).
 */
export async function countTasks(
  db: Db,
  caller: Caller,
  q: ListTasksQuery,
  where: Prisma.TaskWhereInput,
): Promise<number> {
  if (q.job_id !== undefined || q.machine_ip || q.machine_uuid) return db.task.count({ where });
  const and = [jobCountersVisibilitySql(caller)];
  if (q.state) and.push(Prisma.sql`c.state = ${q.state}`);
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT COALESCE(SUM(c.tasks), 0)::int AS n FROM task_counts c WHERE ${Prisma.join(and, " AND ")}`;
  return Number(row.n);
}
