import { withApi } from "@/lib/api/with-api";
import { metricsSummary } from "@/lib/ops/metrics";

// Seed 004 system metrics, scoped to the caller's jobs.
export const GET = withApi(async ({ db, caller }) => metricsSummary(db, caller));
