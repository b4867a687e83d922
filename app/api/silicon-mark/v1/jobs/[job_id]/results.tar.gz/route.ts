import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { fileResponse } from "@/lib/api/file-response";
import { jobIdParamSchema } from "@/lib/jobs/schemas";
import { resultsArchiveQuerySchema } from "@/lib/reports/schemas";
import { resultsArchive } from "@/lib/reports/archive";
import { publicOrigin } from "@/lib/reports/urls";

export const GET = withApi<{ job_id: string }>(async ({ params, url, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  const { task_id } = parseQuery(resultsArchiveQuerySchema, url);
  const { filename, stream } = await resultsArchive(db, caller, job_id, { taskId: task_id, origin: publicOrigin(url) });
  return fileResponse(stream, { contentType: "application/gzip", filename });
});
