import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { loadReportModel } from "./model";
import { renderJobReport, renderNodeReport } from "./pdf/reports";

/** PDF reports, rendered on request from the stored results (nothing is cached or stored). */
export async function jobReportPdf(db: Db, caller: Caller, jobId: bigint) {
  const model = await loadReportModel(db, caller, jobId);
  return { filename: `job-${jobId}-report.pdf`, pdf: await renderJobReport(model) };
}

export async function nodeReportPdf(db: Db, caller: Caller, jobId: bigint, taskId: bigint) {
  const model = await loadReportModel(db, caller, jobId);
  return { filename: `job-${jobId}-task-${taskId}-report.pdf`, pdf: await renderNodeReport(model, taskId) };
}
