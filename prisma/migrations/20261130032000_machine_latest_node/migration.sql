-- GET /machines and the fleet heatmap at 1M jobs: each machine's latest visible node is one
-- backward step on this index (lib/fleet/queries.ts latestNodePerMachine), instead of sorting
-- every node the caller's machines ever ran.
CREATE INDEX "tasks_machine_uuid_created_at_id_idx" ON "tasks"("machine_uuid", "created_at", "id");
