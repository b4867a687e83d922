import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import type { Prisma } from "../generated/prisma/client";
import { jobVisibilityWhere } from "../auth/visibility";
import { assertMay } from "../auth/permissions";
import { clock } from "../util/clock";
import type { BulkDeleteJobsQuery } from "./schemas";
import { ACTIVE_STATES } from "./states";

/**
 * Bulk delete: the permission table's `bulk_delete` column — customer admins clear
 * their customer's old jobs, root admins everyone's, others 403. Soft delete, like DELETE /jobs/delete; jobs agents may still be running
 * (starting, running) are never touched.
 */
export async function bulkDeleteJobs(db: Db, caller: Caller, q: BulkDeleteJobsQuery) {
  assertMay(caller, "bulk_delete", "Permission denied: bulk delete needs a customer admin or root admin");
  const and: Prisma.JobWhereInput[] = [
    jobVisibilityWhere(caller, "bulk_delete"),
    { state: { notIn: [...ACTIVE_STATES] } },
  ];
  if (q.created_before) and.push({ createdAt: { lt: q.created_before } });
  if (q.finished_before) and.push({ endedAt: { lt: q.finished_before } });
  if (q.benchmark_id) and.push({ benchmarkIds: { has: q.benchmark_id } });
  const { count } = await db.job.updateMany({ where: { AND: and }, data: { deletedAt: clock.now() } });
  return { deleted_count: count };
}
