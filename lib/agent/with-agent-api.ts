import type { Job } from "../generated/prisma/client";
import { apiRoute, type ApiContext } from "../api/with-api";
import { UnauthorizedError } from "../api/errors";
import { bearerToken } from "../auth/resolve-caller";
import { verifyToken } from "../auth/tokens";

/**
 * Agent endpoints: the caller is a job token, confined to its one job. User tokens and
 * sessions are refused here, as job tokens are refused on user endpoints. The job is the
 * rate-limit client: all nodes of a job share the (high) agent budget.
 */
export function withAgentApi<P = Record<string, never>>(handler: (ctx: ApiContext<P> & { job: Job }) => Promise<unknown>) {
  return apiRoute<P, { job: Job }>(async (ctx) => {
    const token = bearerToken(ctx.req);
    const verified = token ? await verifyToken(token) : null;
    if (!verified || verified.typ !== "job") throw new UnauthorizedError("Invalid or expired job token");
    const job = await ctx.db.job.findUnique({ where: { id: verified.jobId } });
    // A deleted job's token stops working; so does one that no longer matches the stored token.
    if (!job || job.deletedAt || job.token !== token) throw new UnauthorizedError("Invalid or expired job token");
    return { client: { kind: "job", id: String(job.id), log: { job_id: String(job.id) } }, auth: { job } };
  }, handler);
}
