import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { readResultRows } from "../results/rows";
import type { Caller } from "../auth/caller";
import { taskVisibilityWhere } from "../auth/visibility";
import { NotFoundError } from "../api/errors";
import type { ListTasksQuery } from "./schemas";
import { serializeTaskListItem, serializeTaskResults } from "./serialize";
import { resultsByTask } from "../jobs/serialize";
import { countTasks } from "./counts";

function taskFilterWhere(caller: Caller, q: ListTasksQuery): Prisma.TaskWhereInput {
  const and: Prisma.TaskWhereInput[] = [taskVisibilityWhere(caller)];
  if (q.job_id !== undefined) and.push({ jobId: q.job_id });
  if (q.state) and.push({ state: q.state });
  if (q.machine_ip) and.push({ machineIp: q.machine_ip });
  if (q.machine_uuid) and.push({ machineUuid: q.machine_uuid });
  return { AND: and };
}

/**
 * From this offset on, a page is found as ids first and rows second (a "deferred join", as in
 * lib/jobs/queries.ts): the skipped tasks come from an index-only walk of a live-tasks index
 * (migration 20261130140000_task_job_live) instead of fetching every skipped task's row.
 */
const DEFERRED_JOIN_FROM_OFFSET = 1000;

/**
 * GET /tasks. The answer is SiliconMark's tasks shape — `data` and `pagination.pages` — which
 * differs from the jobs list's `results` and `total_pages`.
 */
export async function listTasks(db: Db, caller: Caller, q: ListTasksQuery, origin = "") {
  const where = taskFilterWhere(caller, q);
  // The id breaks ties so pages never overlap or skip tasks created in the same millisecond.
  const orderBy: Prisma.TaskOrderByWithRelationInput[] = [{ createdAt: q.sort_order }, { id: q.sort_order }];
  const skip = (q.page - 1) * q.per_page;
  const page = async () => {
    if (skip < DEFERRED_JOIN_FROM_OFFSET) return db.task.findMany({ where, orderBy, skip, take: q.per_page });
    const ids = (await db.task.findMany({ where, orderBy, skip, take: q.per_page, select: { id: true } })).map(
      (t) => t.id,
    );
    return ids.length ? db.task.findMany({ where: { AND: [where, { id: { in: ids } }] }, orderBy }) : [];
  };
  const [total, tasks] = await Promise.all([countTasks(db, caller, q, where), page()]);
  // The page's results in one statement, their documents handed through as text.
  const results =
    q.include_results && tasks.length
      ? await readResultRows(db, Prisma.sql`r.task_id = ANY(${tasks.map((t) => t.id.toString())}::bigint[])`)
      : [];
  const byTask = resultsByTask(results);
  return {
    data: tasks.map((t) => serializeTaskListItem(t, q.include_results ? (byTask.get(t.id) ?? []) : null, origin)),
    pagination: { page: q.page, per_page: q.per_page, total, pages: Math.ceil(total / q.per_page) },
  };
}

/** GET /tasks/{task_id}/results: a visible task's result summary, or 404. */
export async function getTaskResults(db: Db, caller: Caller, taskId: bigint, withDisplayName: boolean) {
  const task = await db.task.findFirst({
    where: { AND: [taskVisibilityWhere(caller), { id: taskId }] },
    include: { results: { orderBy: { id: "asc" } }, job: { select: { customer: { select: { name: true } } } } },
  });
  if (!task) throw new NotFoundError(`Task with id ${taskId} not found`);
  const { results, job, ...row } = task;
  return serializeTaskResults(row, job.customer.name, results, withDisplayName);
}
