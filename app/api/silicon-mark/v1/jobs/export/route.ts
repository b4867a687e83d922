import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { fileResponse } from "@/lib/api/file-response";
import { exportFormatQuerySchema, listJobsQuerySchema, LIST_ARRAY_PARAMS } from "@/lib/jobs/schemas";
import { exportJobs } from "@/lib/jobs/export";

// The same query as GET /jobs (page and per_page are ignored: every matching job is exported).
export const GET = withApi(async ({ url, db, caller }) => {
  const q = parseQuery(listJobsQuerySchema, url, LIST_ARRAY_PARAMS);
  const { format } = parseQuery(exportFormatQuerySchema, url);
  const { filename, contentType, stream } = await exportJobs(db, caller, q, format);
  return fileResponse(stream, { contentType, filename });
});
