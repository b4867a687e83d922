import { withApi } from "@/lib/api/with-api";
import { parseWith, rejectQuery } from "@/lib/api/parse";
import { fileResponse } from "@/lib/api/file-response";
import { jobTaskParamSchema } from "@/lib/reports/schemas";
import { nodeReportPdf } from "@/lib/reports/service";

export const GET = withApi<{ job_id: string; task_id: string }>(async ({ params, url, db, caller }) => {
  rejectQuery(url);
  const { job_id, task_id } = parseWith(jobTaskParamSchema, params);
  const { filename, pdf } = await nodeReportPdf(db, caller, job_id, task_id);
  return fileResponse(new Uint8Array(pdf), { contentType: "application/pdf", filename, disposition: "inline" });
});
