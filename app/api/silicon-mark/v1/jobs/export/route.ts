import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { fileResponse } from "@/lib/api/file-response";
import { exportJobsQuerySchema, LIST_QUERY_OPTIONS } from "@/lib/jobs/schemas";
import { exportJobs } from "@/lib/jobs/export";

// GET /jobs/export – the same query as GET /jobs (page and per_page are ignored: every matching job is exported).
export const GET = withApi(async ({ url, db, caller }) => {
  const { format, ...q } = parseQuery(exportJobsQuerySchema, url, LIST_QUERY_OPTIONS);
  const { filename, contentType, stream } = await exportJobs(db, caller, q, format);
  return fileResponse(stream, { contentType, filename });
});
