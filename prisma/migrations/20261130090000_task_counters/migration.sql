-- GET /tasks's exact pagination total without counting tasks: at 1M jobs a big customer sees
-- over a million of them, and COUNT(*) costs seconds. A trigger keeps, per customer, user and
-- task state, the number of tasks of live (not deleted) jobs, in the same transaction as every
-- change, so the counts are exact under MVCC; lib/tasks/counts.ts sums the caller's rows when
-- the list filters by state only. Each key has a few shards, by task id, like usage_counts:
-- the nodes of one big job register and finish at once, and one counter row would make their
-- transactions wait for each other's commits. Only the sum over shards is meaningful; rows
-- that reach zero stay (a node's states come and go, the keys are few).
CREATE TABLE "task_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "tasks" INTEGER NOT NULL,
    CONSTRAINT "task_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "state", "shard")
);

-- A task counts under its job's owner while the job is live; the old contribution (-1) and the
-- new one (+1) are netted in one statement, in key order (see jobs_maintain_counts). A task of
-- a job being deleted is no longer found with its job here: jobs_task_counts took it out.
CREATE FUNCTION "tasks_maintain_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "task_counts" AS c ("customer_id", "user_id", "state", "shard", "tasks")
  SELECT j.customer_id, j.user_id, d.state, d.shard, sum(d.delta)::int
  FROM (
    SELECT OLD.job_id, OLD.state, (OLD.id % 8)::int, -1 WHERE TG_OP <> 'INSERT'
    UNION ALL
    SELECT NEW.job_id, NEW.state, (NEW.id % 8)::int, 1 WHERE TG_OP <> 'DELETE'
  ) d(job_id, state, shard, delta)
  JOIN "jobs" j ON j.id = d.job_id AND j.deleted_at IS NULL
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("customer_id", "user_id", "state", "shard") DO UPDATE SET "tasks" = c."tasks" + EXCLUDED."tasks";
  RETURN NULL;
END $$;
CREATE TRIGGER "tasks_counts_insert_delete" AFTER INSERT OR DELETE ON "tasks" FOR EACH ROW EXECUTE FUNCTION "tasks_maintain_counts"();
-- Heartbeats and progress do not fire it; a state change does. The scope columns copied from
-- the job (jobs_scope_to_tasks) are not watched: an owner change moves the job's tasks below.
CREATE TRIGGER "tasks_counts_update" AFTER UPDATE OF "job_id", "state" ON "tasks"
  FOR EACH ROW WHEN (OLD."job_id" IS DISTINCT FROM NEW."job_id" OR OLD."state" IS DISTINCT FROM NEW."state")
  EXECUTE FUNCTION "tasks_maintain_counts"();

-- A job's tasks move together when it is soft-deleted or restored, changes owner, or is
-- deleted: per state and shard, from the old owner (if it was live) to the new (if it is).
CREATE FUNCTION "jobs_maintain_task_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live boolean := OLD.deleted_at IS NULL;
  is_live boolean := TG_OP = 'UPDATE' AND NEW.deleted_at IS NULL;
BEGIN
  INSERT INTO "task_counts" AS c ("customer_id", "user_id", "state", "shard", "tasks")
  SELECT d.customer_id, d.user_id, t.state, (t.id % 8)::int, sum(d.delta)::int
  FROM "tasks" t
  CROSS JOIN (
    SELECT OLD.customer_id, OLD.user_id, -1 WHERE was_live
    UNION ALL
    SELECT NEW.customer_id, NEW.user_id, 1 WHERE is_live
  ) d(customer_id, user_id, delta)
  WHERE t.job_id = OLD.id
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("customer_id", "user_id", "state", "shard") DO UPDATE SET "tasks" = c."tasks" + EXCLUDED."tasks";
  RETURN OLD;
END $$;
-- BEFORE DELETE: the tasks are still there to be counted.
CREATE TRIGGER "jobs_task_counts_delete" BEFORE DELETE ON "jobs" FOR EACH ROW EXECUTE FUNCTION "jobs_maintain_task_counts"();
CREATE TRIGGER "jobs_task_counts_update" AFTER UPDATE OF "customer_id", "user_id", "deleted_at" ON "jobs"
  FOR EACH ROW WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
                     OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_maintain_task_counts"();

-- GET /server's running nodes without reading them per request (16k at 1M jobs, each checked
-- against its job): a running node's node-seconds are now − started_at, so per usage key the
-- count of nodes started and not ended and the sum of their starts (epoch milliseconds: the
-- column's precision, summed exactly) give n·now − Σ started_at. Kept by the usage trigger.
ALTER TABLE "usage_counts" ADD COLUMN "running_nodes" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "running_started_ms" BIGINT NOT NULL DEFAULT 0;
-- Its only reader was the per-request sum of running nodes.
DROP INDEX "tasks_running_scope_idx";

CREATE FUNCTION "task_running_started_ms"(started timestamptz, ended timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN started IS NOT NULL AND ended IS NULL THEN round(EXTRACT(EPOCH FROM started) * 1000)::bigint ELSE 0 END;
$$;

DROP FUNCTION "usage_add_for_job"(bigint, integer, double precision, bigint);
DROP FUNCTION "usage_add"(integer, integer, integer, double precision, bigint);

CREATE FUNCTION "usage_add"(customer integer, usr integer, shard integer, secs double precision, nbytes bigint,
                            running integer, running_ms bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "usage_counts" AS u ("customer_id", "user_id", "shard", "node_seconds", "bytes", "running_nodes", "running_started_ms")
  SELECT customer, usr, shard, secs, nbytes, running, running_ms WHERE secs <> 0 OR nbytes <> 0 OR running <> 0
  ON CONFLICT ("customer_id", "user_id", "shard")
  DO UPDATE SET "node_seconds" = u."node_seconds" + EXCLUDED."node_seconds", "bytes" = u."bytes" + EXCLUDED."bytes",
                "running_nodes" = u."running_nodes" + EXCLUDED."running_nodes",
                "running_started_ms" = u."running_started_ms" + EXCLUDED."running_started_ms";
$$;

CREATE FUNCTION "usage_add_for_job"(job bigint, shard integer, secs double precision, nbytes bigint, running integer, running_ms bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT "usage_add"(j.customer_id, j.user_id, shard, secs, nbytes, running, running_ms) FROM "jobs" j WHERE j.id = job AND j.deleted_at IS NULL;
$$;

CREATE OR REPLACE FUNCTION "tasks_maintain_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "usage_add_for_job"(OLD.job_id, (OLD.id % 8)::int, -"task_usage_seconds"(OLD.started_at, OLD.ended_at), -OLD.bytes_uploaded::bigint,
                                -(OLD.started_at IS NOT NULL AND OLD.ended_at IS NULL)::int, -"task_running_started_ms"(OLD.started_at, OLD.ended_at));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "usage_add_for_job"(NEW.job_id, (NEW.id % 8)::int, "task_usage_seconds"(NEW.started_at, NEW.ended_at), NEW.bytes_uploaded::bigint,
                                (NEW.started_at IS NOT NULL AND NEW.ended_at IS NULL)::int, "task_running_started_ms"(NEW.started_at, NEW.ended_at));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "results_maintain_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "usage_add_for_job"(OLD.job_id, (COALESCE(OLD.task_id, OLD.job_id) % 8)::int, 0, -OLD.payload_bytes::bigint, 0, 0);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "usage_add_for_job"(NEW.job_id, (COALESCE(NEW.task_id, NEW.job_id) % 8)::int, 0, NEW.payload_bytes::bigint, 0, 0);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "job_usage_move"(job bigint, customer integer, usr integer, sign integer) RETURNS void
LANGUAGE sql AS $$
  SELECT "usage_add"(customer, usr, s.shard, sign * s.secs, sign * s.nbytes, sign * s.running, sign * s.running_ms)
  FROM (SELECT x.shard, sum(x.secs)::float8 AS secs, sum(x.nbytes)::bigint AS nbytes, sum(x.running)::int AS running, sum(x.running_ms)::bigint AS running_ms
        FROM (SELECT (t.id % 8)::int AS shard, "task_usage_seconds"(t.started_at, t.ended_at) AS secs, t.bytes_uploaded::bigint AS nbytes,
                     (t.started_at IS NOT NULL AND t.ended_at IS NULL)::int AS running, "task_running_started_ms"(t.started_at, t.ended_at) AS running_ms
                FROM "tasks" t WHERE t.job_id = job
              UNION ALL
              SELECT (COALESCE(r.task_id, r.job_id) % 8)::int, 0, r.payload_bytes::bigint, 0, 0 FROM "benchmark_results" r WHERE r.job_id = job) x
        GROUP BY x.shard ORDER BY x.shard) s;
$$;

-- Deep pages of GET /tasks (offset 1000 on) find their ids first (lib/tasks/queries.ts): with
-- the job id in the list's indexes, the skipped tasks come from an index-only scan and their
-- jobs' liveness from an index-only probe, instead of reading every skipped task's row.
DROP INDEX "tasks_created_at_id_idx";
DROP INDEX "tasks_state_created_at_id_idx";
DROP INDEX "tasks_customer_id_created_at_id_idx";
DROP INDEX "tasks_customer_id_state_created_at_id_idx";
DROP INDEX "tasks_customer_id_user_id_created_at_id_idx";
CREATE INDEX "tasks_created_at_id_job_id_idx" ON "tasks"("created_at", "id", "job_id");
CREATE INDEX "tasks_state_created_at_id_job_id_idx" ON "tasks"("state", "created_at", "id", "job_id");
CREATE INDEX "tasks_customer_id_created_at_id_job_id_idx" ON "tasks"("customer_id", "created_at", "id", "job_id");
CREATE INDEX "tasks_customer_id_state_created_at_id_job_id_idx" ON "tasks"("customer_id", "state", "created_at", "id", "job_id");
CREATE INDEX "tasks_customer_id_user_id_created_at_id_job_id_idx" ON "tasks"("customer_id", "user_id", "created_at", "id", "job_id");
CREATE INDEX "jobs_live_id_idx" ON "jobs"("id") WHERE "deleted_at" IS NULL;

-- Existing databases: count what is there (bench/seed.ts runs these statements after its bulk
-- load, the running nodes after the usage backfill).
-- task_counts:begin
INSERT INTO "task_counts" ("customer_id", "user_id", "state", "shard", "tasks")
SELECT j."customer_id", j."user_id", t."state", (t."id" % 8)::int, count(*)
FROM "tasks" t JOIN "jobs" j ON j."id" = t."job_id" WHERE j."deleted_at" IS NULL
GROUP BY 1, 2, 3, 4;
-- task_counts:end
-- usage_running:begin
INSERT INTO "usage_counts" AS u ("customer_id", "user_id", "shard", "running_nodes", "running_started_ms")
SELECT j."customer_id", j."user_id", (t."id" % 8)::int, count(*), sum("task_running_started_ms"(t."started_at", t."ended_at"))
FROM "tasks" t JOIN "jobs" j ON j."id" = t."job_id"
WHERE j."deleted_at" IS NULL AND t."started_at" IS NOT NULL AND t."ended_at" IS NULL
GROUP BY 1, 2, 3
ON CONFLICT ("customer_id", "user_id", "shard")
DO UPDATE SET "running_nodes" = EXCLUDED."running_nodes", "running_started_ms" = EXCLUDED."running_started_ms";
-- usage_running:end
