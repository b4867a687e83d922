import type { Job } from "../generated/prisma/client";
import { apiRoute, type ApiContext } from "../api/with-api";
import { bearerToken } from "../auth/resolve-caller";
import { verifyToken } from "../auth/tokens";
import { invalidJobToken, type JobTokenClaim } from "./job-token";
import { cachedAgentJob } from "./job-cache";

/**
 * Agent endpoints: the caller is a job token, confined to its one job. User tokens and
 * sessions are refused here, as job tokens are refused on user endpoints. The job is the
 * rate-limit client: all nodes of a job share the (high) agent budget. This variant only
 * verifies the signature: the ingest hot path checks the job row inside its own query.
 */
export function withJobToken<P = Record<string, never>>(
  handler: (ctx: ApiContext<P> & { claim: JobTokenClaim }) => Promise<unknown>,
) {
  return apiRoute<P, { claim: JobTokenClaim }>(async (ctx) => {
    const token = bearerToken(ctx.req);
    const verified = token ? await verifyToken(token) : null;
    if (!token || !verified || verified.typ !== "job") throw invalidJobToken();
    const id = String(verified.jobId);
    return { client: { kind: "job", id, log: { job_id: id } }, auth: { claim: { jobId: verified.jobId, token } } };
  }, handler);
}

/**
 * As withJobToken, with the job loaded and checked against the stored token. `cached`: the
 * row may be up to AGENT_JOB_CACHE_MS old (lib/agent/job-cache.ts says which reads allow it).
 */
export function withAgentApi<P = Record<string, never>>(
  handler: (ctx: ApiContext<P> & { job: Job }) => Promise<unknown>,
  opts: { cached?: boolean } = {},
) {
  return withJobToken<P>(async (ctx) => {
    const job = opts.cached
      ? await cachedAgentJob(ctx.db, ctx.claim.jobId)
      : await ctx.db.job.findUnique({ where: { id: ctx.claim.jobId } });
    // A deleted job's token stops working; so does one that no longer matches the stored token.
    if (!job || job.deletedAt || job.token !== ctx.claim.token) throw invalidJobToken();
    return handler({ ...ctx, job });
  });
}
