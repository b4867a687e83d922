import { withApi } from "@/lib/api/with-api";
import { rejectQuery } from "@/lib/api/parse";
import { jobSummary } from "@/lib/jobs/summary";

// GET /jobs/summary – counts by state and benchmark, and the queue
export const GET = withApi(async ({ url, db, caller }) => {
  rejectQuery(url);
  return jobSummary(db, caller);
});
