import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { jobVisibilityWhere } from "../auth/visibility";
import { NotFoundError } from "../api/errors";
import { serializeResult } from "../jobs/serialize";
import { getJobDetail } from "../jobs/queries";
import { compactSerialized } from "./compact";

/** A stored result is visible exactly when its job is (other tenants' results are 404s). */
async function findVisibleResult(db: Db, caller: Caller, id: bigint) {
  const r = await db.benchmarkResult.findFirst({ where: { id, job: jobVisibilityWhere(caller) } });
  if (!r) throw new NotFoundError(`Result with id ${id} not found`);
  return r;
}

/** GET /results/{id}: one node or job-level result as its own resource. */
export async function getResult(
  db: Db,
  caller: Caller,
  id: bigint,
  opts: { compact: boolean; includeDisplayNames: boolean },
) {
  const r = await findVisibleResult(db, caller, id);
  return {
    ...compactSerialized(serializeResult(r, opts.includeDisplayNames), opts.compact),
    job_id: r.jobId.toString(),
    // null for a cluster-level (job) result.
    task_id: r.taskId?.toString() ?? null,
  };
}

/** GET /results/{id}/job: the job that produced it, as GET /jobs/{id} shows it. */
export async function getResultJob(db: Db, caller: Caller, id: bigint, origin: string) {
  const r = await findVisibleResult(db, caller, id);
  return getJobDetail(db, caller, r.jobId, origin);
}
