import { withApi } from "@/lib/api/with-api";
import { parseJson, parseQuery, parseWith } from "@/lib/api/parse";
import { jobDetailQuerySchema, jobIdParamSchema, updateJobSchema } from "@/lib/jobs/schemas";
import { getJobDetail } from "@/lib/jobs/queries";
import { updateJob } from "@/lib/jobs/commands";
import { selectJobDetailParts } from "@/lib/jobs/serialize";
import { publicOrigin } from "@/lib/reports/urls";

type Params = { job_id: string };

// GET /jobs/{job_id} – a visible job with its tasks and results
export const GET = withApi<Params>(async ({ params, url, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  const parts = parseQuery(jobDetailQuerySchema, url);
  return selectJobDetailParts(await getJobDetail(db, caller, job_id, publicOrigin(url)), parts);
});

export const PATCH = withApi<Params>(async ({ req, params, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  return updateJob(db, caller, job_id, await parseJson(updateJobSchema, req));
});
