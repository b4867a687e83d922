import { env } from "../config/env";

/**
 * Where a job's reports are served. The SiliconMark API (docs/api-contract.md) shows `pdf_report_url` as an absolute URL, so
 * callers that know the public origin pass it; without one the path is relative.
 */
const API_BASE = "/api/silicon-mark/v1";

export function jobReportUrl(jobId: bigint | string, origin = ""): string {
  return `${origin}${API_BASE}/jobs/${jobId}/report.pdf`;
}

export function taskReportUrl(jobId: bigint | string, taskId: bigint | string, origin = ""): string {
  return `${origin}${API_BASE}/jobs/${jobId}/tasks/${taskId}/report.pdf`;
}

export function resultsArchiveUrl(jobId: bigint | string, origin = ""): string {
  return `${origin}${API_BASE}/jobs/${jobId}/results.tar.gz`;
}

/** The public origin: NEXTAUTH_URL when set (behind a proxy), else the request's own. */
export function publicOrigin(requestUrl: URL): string {
  const configured = env("NEXTAUTH_URL");
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      /* misconfigured: fall back to the request */
    }
  }
  return requestUrl.origin;
}
