-- GET /server's usage (node-seconds, bytes uploaded) without scanning the caller's tasks and
-- results: millions of rows for a root admin at 1M jobs. A trigger keeps, per customer and
-- user, the totals of their live (not deleted) jobs' nodes and results in the same
-- transaction as every change, so they are exact under MVCC; lib/ops/server-info.ts sums the
-- caller's rows and adds the nodes still running (ended_at IS NULL), which it times to now.
--   node_seconds  ended nodes: ended_at − started_at;
--   bytes         tasks.bytes_uploaded (log lines) + benchmark_results.payload_bytes.
-- Each key has a few shards, by node (a result counts on its node's shard; a job-level result
-- on its job's): the nodes of one big job upload at once, and a single counter row would make
-- their transactions wait for each other's commits. Only the sum over shards is meaningful.
CREATE TABLE "usage_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "shard" INTEGER NOT NULL,
    "node_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "usage_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "shard")
);

-- The nodes still running, timed at read time: few at any moment, found per scope.
CREATE INDEX "tasks_running_scope_idx" ON "tasks"("customer_id", "user_id") WHERE "ended_at" IS NULL AND "started_at" IS NOT NULL;

CREATE FUNCTION "usage_add"(customer integer, usr integer, shard integer, secs double precision, nbytes bigint) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "usage_counts" AS u ("customer_id", "user_id", "shard", "node_seconds", "bytes")
  SELECT customer, usr, shard, secs, nbytes WHERE secs <> 0 OR nbytes <> 0
  ON CONFLICT ("customer_id", "user_id", "shard")
  DO UPDATE SET "node_seconds" = u."node_seconds" + EXCLUDED."node_seconds", "bytes" = u."bytes" + EXCLUDED."bytes";
$$;

-- A node's share: its run time once ended, and its log bytes.
CREATE FUNCTION "task_usage_seconds"(started timestamptz, ended timestamptz) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN started IS NOT NULL AND ended IS NOT NULL THEN EXTRACT(EPOCH FROM (ended - started))::float8 ELSE 0 END;
$$;

-- Tasks and results count while their job is live. A job being deleted (hard, with its
-- tasks and results cascading) has already taken its totals out in jobs_usage_delete, and is
-- no longer found here.
CREATE FUNCTION "usage_add_for_job"(job bigint, shard integer, secs double precision, nbytes bigint) RETURNS void
LANGUAGE sql AS $$
  SELECT "usage_add"(j.customer_id, j.user_id, shard, secs, nbytes) FROM "jobs" j WHERE j.id = job AND j.deleted_at IS NULL;
$$;

CREATE FUNCTION "tasks_maintain_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "usage_add_for_job"(OLD.job_id, (OLD.id % 8)::int, -"task_usage_seconds"(OLD.started_at, OLD.ended_at), -OLD.bytes_uploaded::bigint);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "usage_add_for_job"(NEW.job_id, (NEW.id % 8)::int, "task_usage_seconds"(NEW.started_at, NEW.ended_at), NEW.bytes_uploaded::bigint);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "tasks_usage_insert_delete" AFTER INSERT OR DELETE ON "tasks" FOR EACH ROW EXECUTE FUNCTION "tasks_maintain_usage"();
-- Heartbeats and progress do not fire it; a node ending or uploading logs does.
CREATE TRIGGER "tasks_usage_update" AFTER UPDATE OF "job_id", "started_at", "ended_at", "bytes_uploaded" ON "tasks"
  FOR EACH ROW WHEN (OLD."job_id" IS DISTINCT FROM NEW."job_id" OR OLD."started_at" IS DISTINCT FROM NEW."started_at"
                     OR OLD."ended_at" IS DISTINCT FROM NEW."ended_at" OR OLD."bytes_uploaded" IS DISTINCT FROM NEW."bytes_uploaded")
  EXECUTE FUNCTION "tasks_maintain_usage"();

CREATE FUNCTION "results_maintain_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "usage_add_for_job"(OLD.job_id, (COALESCE(OLD.task_id, OLD.job_id) % 8)::int, 0, -OLD.payload_bytes::bigint);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "usage_add_for_job"(NEW.job_id, (COALESCE(NEW.task_id, NEW.job_id) % 8)::int, 0, NEW.payload_bytes::bigint);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "results_usage_insert_delete" AFTER INSERT OR DELETE ON "benchmark_results" FOR EACH ROW EXECUTE FUNCTION "results_maintain_usage"();
CREATE TRIGGER "results_usage_update" AFTER UPDATE OF "job_id", "payload_bytes" ON "benchmark_results"
  FOR EACH ROW WHEN (OLD."job_id" IS DISTINCT FROM NEW."job_id" OR OLD."payload_bytes" IS DISTINCT FROM NEW."payload_bytes")
  EXECUTE FUNCTION "results_maintain_usage"();

-- A job's whole contribution moves when it is soft-deleted or restored, changes owner, or is
-- deleted: per shard, its tasks' and results' sums (indexed by job id).
CREATE FUNCTION "job_usage_move"(job bigint, customer integer, usr integer, sign integer) RETURNS void
LANGUAGE sql AS $$
  SELECT "usage_add"(customer, usr, s.shard, sign * s.secs, sign * s.nbytes)
  FROM (SELECT x.shard, sum(x.secs)::float8 AS secs, sum(x.nbytes)::bigint AS nbytes
        FROM (SELECT (t.id % 8)::int AS shard, "task_usage_seconds"(t.started_at, t.ended_at) AS secs, t.bytes_uploaded::bigint AS nbytes
                FROM "tasks" t WHERE t.job_id = job
              UNION ALL
              SELECT (COALESCE(r.task_id, r.job_id) % 8)::int, 0, r.payload_bytes::bigint FROM "benchmark_results" r WHERE r.job_id = job) x
        GROUP BY x.shard ORDER BY x.shard) s;
$$;

CREATE FUNCTION "jobs_maintain_usage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.deleted_at IS NULL THEN PERFORM "job_usage_move"(OLD.id, OLD.customer_id, OLD.user_id, -1); END IF;
    RETURN OLD;
  END IF;
  IF OLD.deleted_at IS NULL THEN PERFORM "job_usage_move"(OLD.id, OLD.customer_id, OLD.user_id, -1); END IF;
  IF NEW.deleted_at IS NULL THEN PERFORM "job_usage_move"(NEW.id, NEW.customer_id, NEW.user_id, 1); END IF;
  RETURN NULL;
END $$;
-- BEFORE DELETE: the tasks and results are still there to be summed (the cascade runs after).
CREATE TRIGGER "jobs_usage_delete" BEFORE DELETE ON "jobs" FOR EACH ROW EXECUTE FUNCTION "jobs_maintain_usage"();
CREATE TRIGGER "jobs_usage_update" AFTER UPDATE OF "customer_id", "user_id", "deleted_at" ON "jobs"
  FOR EACH ROW WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
                     OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_maintain_usage"();

-- Existing databases: total what is there (bench/seed.ts runs these statements after its bulk load).
-- usage:begin
INSERT INTO "usage_counts" ("customer_id", "user_id", "shard", "node_seconds", "bytes")
SELECT x.customer_id, x.user_id, x.shard, sum(x.secs), sum(x.nbytes)
FROM (SELECT j.customer_id, j.user_id, (t.id % 8)::int AS shard, "task_usage_seconds"(t.started_at, t.ended_at) AS secs, t.bytes_uploaded::bigint AS nbytes
        FROM "tasks" t JOIN "jobs" j ON j.id = t.job_id WHERE j.deleted_at IS NULL
      UNION ALL
      SELECT j.customer_id, j.user_id, (COALESCE(r.task_id, r.job_id) % 8)::int, 0, r.payload_bytes::bigint
        FROM "benchmark_results" r JOIN "jobs" j ON j.id = r.job_id WHERE j.deleted_at IS NULL) x
GROUP BY 1, 2, 3
HAVING sum(x.secs) <> 0 OR sum(x.nbytes) <> 0;
-- usage:end
