import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { jobStatsQuerySchema, STATS_QUERY_OPTIONS } from "@/lib/jobs/schemas";
import { jobStats } from "@/lib/jobs/queries";

export const GET = withApi(async ({ url, db, caller }) =>
  jobStats(db, caller, parseQuery(jobStatsQuerySchema, url, STATS_QUERY_OPTIONS)),
);
