import { withApi } from "@/lib/api/with-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { jobIdParamSchema, updateJobSchema } from "@/lib/jobs/schemas";
import { getJobDetail } from "@/lib/jobs/queries";
import { updateJob } from "@/lib/jobs/commands";
import { publicOrigin } from "@/lib/reports/urls";

type Params = { job_id: string };

export const GET = withApi<Params>(async ({ params, url, db, caller }) =>
  getJobDetail(db, caller, parseWith(jobIdParamSchema, params).job_id, publicOrigin(url)),
);

export const PATCH = withApi<Params>(async ({ req, params, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  return updateJob(db, caller, job_id, await parseJson(updateJobSchema, req));
});
