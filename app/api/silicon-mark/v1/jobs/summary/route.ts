import { withApi } from "@/lib/api/with-api";
import { jobSummary } from "@/lib/jobs/summary";

export const GET = withApi(async ({ db, caller }) => jobSummary(db, caller));
