-- GET /tasks at scale (millions of tasks): a task is visible when its job is, and jobs are
-- scoped by customer and user. Those two columns are copied onto each task (kept in step by
-- triggers, whatever inserts the row) so the list walks one index in created_at order within
-- the caller's scope instead of joining every job first.
ALTER TABLE "tasks" ADD COLUMN "customer_id" INTEGER, ADD COLUMN "user_id" INTEGER;
UPDATE "tasks" t SET "customer_id" = j."customer_id", "user_id" = j."user_id" FROM "jobs" j WHERE j."id" = t."job_id";

CREATE FUNCTION "tasks_copy_job_scope"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT j."customer_id", j."user_id" INTO NEW."customer_id", NEW."user_id" FROM "jobs" j WHERE j."id" = NEW."job_id";
  RETURN NEW;
END $$;
CREATE TRIGGER "tasks_job_scope_insert" BEFORE INSERT OR UPDATE OF "job_id" ON "tasks" FOR EACH ROW EXECUTE FUNCTION "tasks_copy_job_scope"();

CREATE FUNCTION "jobs_scope_to_tasks"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "tasks" SET "customer_id" = NEW."customer_id", "user_id" = NEW."user_id" WHERE "job_id" = NEW."id";
  RETURN NULL;
END $$;
CREATE TRIGGER "jobs_scope_to_tasks" AFTER UPDATE OF "customer_id", "user_id" ON "jobs" FOR EACH ROW
  WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id")
  EXECUTE FUNCTION "jobs_scope_to_tasks"();

-- Sort created_at (id breaks ties): everything (staff, root), a customer, a user; state filters
-- within those. job_id is served by tasks_job_id_machine_uuid_key, machine_uuid by
-- tasks_machine_uuid_idx.
CREATE INDEX "tasks_created_at_id_idx" ON "tasks"("created_at", "id");
CREATE INDEX "tasks_state_created_at_id_idx" ON "tasks"("state", "created_at", "id");
CREATE INDEX "tasks_customer_id_created_at_id_idx" ON "tasks"("customer_id", "created_at", "id");
CREATE INDEX "tasks_customer_id_state_created_at_id_idx" ON "tasks"("customer_id", "state", "created_at", "id");
CREATE INDEX "tasks_customer_id_user_id_created_at_id_idx" ON "tasks"("customer_id", "user_id", "created_at", "id");
CREATE INDEX "tasks_machine_ip_created_at_idx" ON "tasks"("machine_ip", "created_at");
