import { withApi } from "@/lib/api/with-api";
import { metricsSummary } from "@/lib/ops/metrics";

// System metrics, scoped to the caller's jobs.
export const GET = withApi(async ({ db, caller }) => metricsSummary(db, caller));
