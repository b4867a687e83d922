-- GET /tasks's deep pages without looking at jobs: a task is listed while its job is live (not
-- soft-deleted), and until now each skipped task's job was probed for that (about 20,000 probes
-- for page 1000). The job's liveness is copied onto its tasks as job_live, beside the scope
-- columns copied by 20261129140000_task_list_indexes and kept by the same triggers, and the
-- list's indexes hold live tasks only: a page is then one index-only walk.
ALTER TABLE "tasks" ADD COLUMN "job_live" BOOLEAN NOT NULL DEFAULT true;
UPDATE "tasks" t SET "job_live" = false FROM "jobs" j WHERE j."id" = t."job_id" AND j."deleted_at" IS NOT NULL;

CREATE OR REPLACE FUNCTION "tasks_copy_job_scope"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT j."customer_id", j."user_id", j."deleted_at" IS NULL INTO NEW."customer_id", NEW."user_id", NEW."job_live"
  FROM "jobs" j WHERE j."id" = NEW."job_id";
  RETURN NEW;
END $$;

-- One statement per job change, whichever of owner or liveness changed. No trigger on tasks
-- watches job_live: the counters see a deletion from the job's side (jobs_task_counts_update,
-- jobs_rollup_visibility).
CREATE OR REPLACE FUNCTION "jobs_scope_to_tasks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "tasks" SET "customer_id" = NEW."customer_id", "user_id" = NEW."user_id", "job_live" = NEW."deleted_at" IS NULL
  WHERE "job_id" = NEW."id";
  RETURN NULL;
END $$;
DROP TRIGGER "jobs_scope_to_tasks" ON "jobs";
CREATE TRIGGER "jobs_scope_to_tasks" AFTER UPDATE OF "customer_id", "user_id", "deleted_at" ON "jobs" FOR EACH ROW
  WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
        OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_scope_to_tasks"();

-- The list's sort order (created_at, id breaking ties) within everything (staff, root), a
-- customer or a user, and by state within the first two; live tasks only, so the job id that
-- let the walk check liveness is no longer needed.
DROP INDEX "tasks_created_at_id_job_id_idx";
DROP INDEX "tasks_state_created_at_id_job_id_idx";
DROP INDEX "tasks_customer_id_created_at_id_job_id_idx";
DROP INDEX "tasks_customer_id_state_created_at_id_job_id_idx";
DROP INDEX "tasks_customer_id_user_id_created_at_id_job_id_idx";
CREATE INDEX "tasks_live_created_at_id_idx" ON "tasks"("created_at", "id") WHERE "job_live";
CREATE INDEX "tasks_live_state_created_at_id_idx" ON "tasks"("state", "created_at", "id") WHERE "job_live";
CREATE INDEX "tasks_live_customer_id_created_at_id_idx" ON "tasks"("customer_id", "created_at", "id") WHERE "job_live";
CREATE INDEX "tasks_live_customer_id_state_created_at_id_idx" ON "tasks"("customer_id", "state", "created_at", "id") WHERE "job_live";
CREATE INDEX "tasks_live_customer_id_user_id_created_at_id_idx" ON "tasks"("customer_id", "user_id", "created_at", "id") WHERE "job_live";
