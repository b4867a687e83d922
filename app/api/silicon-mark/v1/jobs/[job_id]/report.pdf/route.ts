import { withApi } from "@/lib/api/with-api";
import { parseWith, rejectQuery } from "@/lib/api/parse";
import { fileResponse } from "@/lib/api/file-response";
import { jobIdParamSchema } from "@/lib/jobs/schemas";
import { jobReportPdf } from "@/lib/reports/service";

export const GET = withApi<{ job_id: string }>(async ({ params, url, db, caller }) => {
  rejectQuery(url);
  const { filename, pdf } = await jobReportPdf(db, caller, parseWith(jobIdParamSchema, params).job_id);
  return fileResponse(new Uint8Array(pdf), { contentType: "application/pdf", filename, disposition: "inline" });
});
