import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { jobIdParamSchema, jobResultsQuerySchema } from "@/lib/jobs/schemas";
import { getJobResults } from "@/lib/jobs/queries";

export const GET = withApi<{ job_id: string }>(async ({ params, url, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  const { include_display_names, compact } = parseQuery(jobResultsQuerySchema, url);
  return getJobResults(db, caller, job_id, include_display_names, compact);
});
