-- GET /tasks sorts by created_at (id breaks ties) and filters by state and machine_ip; job_id
-- is served by tasks_job_id_machine_uuid_key and machine_uuid by tasks_machine_uuid_idx.
CREATE INDEX "tasks_created_at_id_idx" ON "tasks"("created_at", "id");
CREATE INDEX "tasks_state_created_at_id_idx" ON "tasks"("state", "created_at", "id");
CREATE INDEX "tasks_machine_ip_created_at_idx" ON "tasks"("machine_ip", "created_at");
