-- GET /machines?health_state=… at 1M jobs (docs/performance-budget.md). Health lives on
-- machines, so the filter joins the roll-ups to machines; for root, "healthy" joined all
-- 163,820 roll-up rows of the any-owner scope (71 ms p95). Machines out of the healthy state are
-- few, so lib/fleet/queries.ts counts "healthy" as the scope's total (from the counters) minus
-- the others, and the others are found through this partial index.
CREATE INDEX "machines_unhealthy_idx" ON "machines" ("health_state", "id") WHERE "health_state" <> 'healthy';
