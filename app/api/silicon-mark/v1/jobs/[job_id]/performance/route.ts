import { withApi } from "@/lib/api/with-api";
import { parseWith, rejectQuery } from "@/lib/api/parse";
import { jobIdParamSchema } from "@/lib/jobs/schemas";
import { getJobPerformance } from "@/lib/jobs/performance";

export const GET = withApi<{ job_id: string }>(async ({ params, url, db, caller }) => {
  rejectQuery(url);
  return getJobPerformance(db, caller, parseWith(jobIdParamSchema, params).job_id);
});
