-- Continuous validation (docs/architecture.md, "Background work"): jobs aimed at enrolled
-- machines, why a job exists, and the event outbox that webhooks deliver from.

-- Who asked for the job: a person or client (manual), a schedule tick, or the server's own
-- confirmation re-run of a node whose verdict was underperforming or regressed.
ALTER TABLE "jobs" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'manual';
-- For origin = confirmation: the node (task) whose verdict the re-run confirms or clears.
ALTER TABLE "jobs" ADD COLUMN "confirms_task_id" BIGINT;
CREATE INDEX "jobs_confirms_task_id_idx" ON "jobs"("confirms_task_id");

-- When the machine's service agent enrolled (null: only ever ran one-off agents).
ALTER TABLE "machines" ADD COLUMN "enrolled_at" TIMESTAMPTZ(3);

-- The machines a job is meant for: enrolled service agents pick up the jobs aimed at them.
CREATE TABLE "job_targets" (
    "job_id" BIGINT NOT NULL,
    "machine_id" INTEGER NOT NULL,
    CONSTRAINT "job_targets_pkey" PRIMARY KEY ("job_id", "machine_id")
);
CREATE INDEX "job_targets_machine_id_idx" ON "job_targets"("machine_id");
ALTER TABLE "job_targets" ADD CONSTRAINT "job_targets_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "job_targets" ADD CONSTRAINT "job_targets_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The outbox: an event is written in the same transaction as the change it reports, so it
-- exists exactly when the change does; webhook deliveries are made from these rows.
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "events_customer_id_created_at_idx" ON "events"("customer_id", "created_at");
ALTER TABLE "events" ADD CONSTRAINT "events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
