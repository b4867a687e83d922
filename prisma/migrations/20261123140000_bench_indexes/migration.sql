-- Read-path indexes and counters for 1,000,000 jobs (PRODUCT.md: every documented list
-- filter and sort, stats, tags and detail ≤ 50 ms p95; measured by `npm run bench`).
--
-- Every job read is scoped by lib/auth/visibility.ts to live jobs (deleted_at IS NULL) of
-- the caller's customer (customer admin), additionally of the caller (user), or of all
-- customers (staff, root). So the indexes below are partial on deleted_at IS NULL (smaller,
-- and they never hold rows no read can return) and come in two families:
--   * customer scope: (customer_id, <sort column>, id, user_id) — equality on customer_id,
--     rows already in ORDER BY <column>, id order; user_id last so a user's scope is checked
--     on the index tuple itself (an index qual) before any heap fetch;
--   * all customers: (<sort column>, id).
-- Both end in id (the list's tie-breaker), which also makes the id-only "deferred join"
-- for deep pages (lib/jobs/queries.ts) an index-only scan.
-- started_at / ended_at sort NULLS LAST in both directions (lib/jobs/queries.ts), which a
-- single btree cannot give backwards, so they have an ascending and a descending index.
-- Partial indexes cannot be written in schema.prisma; like jobs_customer_live_name_key they
-- live only here (test/schema-matches-migrations.test.ts treats partial indexes as extras).

CREATE INDEX "jobs_live_customer_created_at_idx" ON "jobs"("customer_id", "created_at", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_started_at_idx" ON "jobs"("customer_id", "started_at", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_started_at_desc_idx" ON "jobs"("customer_id", "started_at" DESC NULLS LAST, "id" DESC, "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_ended_at_idx" ON "jobs"("customer_id", "ended_at", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_ended_at_desc_idx" ON "jobs"("customer_id", "ended_at" DESC NULLS LAST, "id" DESC, "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_expires_at_idx" ON "jobs"("customer_id", "expires_at", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_name_idx" ON "jobs"("customer_id", "name", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_state_idx" ON "jobs"("customer_id", "state", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_node_count_idx" ON "jobs"("customer_id", "node_count", "id", "user_id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_customer_current_nodes_idx" ON "jobs"("customer_id", "current_nodes", "id", "user_id") WHERE "deleted_at" IS NULL;

CREATE INDEX "jobs_live_created_at_idx" ON "jobs"("created_at", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_started_at_idx" ON "jobs"("started_at", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_started_at_desc_idx" ON "jobs"("started_at" DESC NULLS LAST, "id" DESC) WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_ended_at_idx" ON "jobs"("ended_at", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_ended_at_desc_idx" ON "jobs"("ended_at" DESC NULLS LAST, "id" DESC) WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_expires_at_idx" ON "jobs"("expires_at", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_name_idx" ON "jobs"("name", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_state_idx" ON "jobs"("state", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_node_count_idx" ON "jobs"("node_count", "id") WHERE "deleted_at" IS NULL;
CREATE INDEX "jobs_live_current_nodes_idx" ON "jobs"("current_nodes", "id") WHERE "deleted_at" IS NULL;

-- The name filter is a case-insensitive substring match (ILIKE '%…%'): only a trigram
-- index serves it. pg_trgm ships with PostgreSQL's contrib and is loaded into PGlite by
-- lib/db/sql-driver.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "jobs_live_name_trgm_idx" ON "jobs" USING GIN ("name" gin_trgm_ops) WHERE "deleted_at" IS NULL;

-- The performance badge (GET /jobs/stats) counts underperforming jobs: a few percent of
-- all jobs, so a partial index holds exactly the candidates.
CREATE INDEX "jobs_live_underperforming_idx" ON "jobs"("customer_id", "state", "user_id") WHERE "deleted_at" IS NULL AND "performance_status" = 'underperforming';

-- Exact counts without counting: the list's pagination total and the stats badge need exact
-- numbers (seed 000), and COUNT(*) over a big customer's 350k live jobs costs more than the
-- whole 50 ms budget. A trigger keeps live-job counts in the same transaction as every job
-- change, so they are exact under MVCC; lib/jobs/counts.ts sums them when a request filters
-- only by dimensions they hold, and counts rows otherwise:
--   job_counts            per customer, user, state, performance status, node count;
--   job_tag_counts        the same per tag (a job counts once per distinct tag);
--   job_benchmark_counts  the same per benchmark id of the job's sequence.
-- The tag counts also answer GET /jobs/tags (a skip scan over the distinct tags) instead of
-- unnesting every visible job's tags. Rows that reach zero are deleted.
CREATE TABLE "job_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "performance_status" TEXT NOT NULL,
    "node_count" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "state", "performance_status", "node_count")
);
CREATE TABLE "job_tag_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "performance_status" TEXT NOT NULL,
    "node_count" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_tag_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "tag", "state", "performance_status", "node_count")
);
CREATE INDEX "job_tag_counts_customer_id_tag_idx" ON "job_tag_counts"("customer_id", "tag");
CREATE INDEX "job_tag_counts_tag_idx" ON "job_tag_counts"("tag");
CREATE TABLE "job_benchmark_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "benchmark_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "performance_status" TEXT NOT NULL,
    "node_count" INTEGER NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_benchmark_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "benchmark_id", "state", "performance_status", "node_count")
);

-- Each table gets one statement with the old contribution (-1) and the new one (+1) netted
-- and in key order: counter rows are always locked in the same order, so two jobs changing
-- at once cannot deadlock on them.
CREATE FUNCTION "jobs_maintain_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live boolean := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL;
  is_live boolean := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL;
BEGIN
  INSERT INTO "job_counts" AS c ("customer_id", "user_id", "state", "performance_status", "node_count", "jobs")
  SELECT d.customer_id, d.user_id, d.state, d.performance_status, d.node_count, sum(d.delta)::int
  FROM (
    SELECT OLD.customer_id, OLD.user_id, OLD.state, OLD.performance_status, OLD.node_count, -1 WHERE was_live
    UNION ALL
    SELECT NEW.customer_id, NEW.user_id, NEW.state, NEW.performance_status, NEW.node_count, 1 WHERE is_live
  ) d(customer_id, user_id, state, performance_status, node_count, delta)
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("customer_id", "user_id", "state", "performance_status", "node_count") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";

  INSERT INTO "job_tag_counts" AS c ("customer_id", "user_id", "tag", "state", "performance_status", "node_count", "jobs")
  SELECT d.customer_id, d.user_id, d.tag, d.state, d.performance_status, d.node_count, sum(d.delta)::int
  FROM (
    SELECT DISTINCT OLD.customer_id, OLD.user_id, t, OLD.state, OLD.performance_status, OLD.node_count, -1 FROM unnest(OLD.tags) t WHERE was_live
    UNION ALL
    SELECT DISTINCT NEW.customer_id, NEW.user_id, t, NEW.state, NEW.performance_status, NEW.node_count, 1 FROM unnest(NEW.tags) t WHERE is_live
  ) d(customer_id, user_id, tag, state, performance_status, node_count, delta)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("customer_id", "user_id", "tag", "state", "performance_status", "node_count") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";

  INSERT INTO "job_benchmark_counts" AS c ("customer_id", "user_id", "benchmark_id", "state", "performance_status", "node_count", "jobs")
  SELECT d.customer_id, d.user_id, d.benchmark_id, d.state, d.performance_status, d.node_count, sum(d.delta)::int
  FROM (
    SELECT DISTINCT OLD.customer_id, OLD.user_id, b, OLD.state, OLD.performance_status, OLD.node_count, -1 FROM unnest(OLD.benchmark_ids) b WHERE was_live
    UNION ALL
    SELECT DISTINCT NEW.customer_id, NEW.user_id, b, NEW.state, NEW.performance_status, NEW.node_count, 1 FROM unnest(NEW.benchmark_ids) b WHERE is_live
  ) d(customer_id, user_id, benchmark_id, state, performance_status, node_count, delta)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("customer_id", "user_id", "benchmark_id", "state", "performance_status", "node_count") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";

  IF was_live THEN
    DELETE FROM "job_counts" WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "jobs" = 0;
    DELETE FROM "job_tag_counts" WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "jobs" = 0;
    DELETE FROM "job_benchmark_counts" WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "jobs" = 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "jobs_counts_insert_delete" AFTER INSERT OR DELETE ON "jobs" FOR EACH ROW EXECUTE FUNCTION "jobs_maintain_counts"();
-- Only updates that move a counted dimension (most job updates — progress, nodes joining,
-- results — do not fire it).
CREATE TRIGGER "jobs_counts_update" AFTER UPDATE OF "customer_id", "user_id", "state", "performance_status", "node_count", "tags", "benchmark_ids", "deleted_at" ON "jobs"
  FOR EACH ROW WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
                     OR OLD."state" IS DISTINCT FROM NEW."state" OR OLD."performance_status" IS DISTINCT FROM NEW."performance_status"
                     OR OLD."node_count" IS DISTINCT FROM NEW."node_count" OR OLD."tags" IS DISTINCT FROM NEW."tags"
                     OR OLD."benchmark_ids" IS DISTINCT FROM NEW."benchmark_ids" OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_maintain_counts"();

-- Existing databases: count what is there (the same statements rebuild them after a bulk load).
-- counters:begin (bench/seed.ts runs these statements again after its bulk load)
INSERT INTO "job_counts" ("customer_id", "user_id", "state", "performance_status", "node_count", "jobs")
SELECT "customer_id", "user_id", "state", "performance_status", "node_count", count(*) FROM "jobs" WHERE "deleted_at" IS NULL GROUP BY 1, 2, 3, 4, 5;
INSERT INTO "job_tag_counts" ("customer_id", "user_id", "tag", "state", "performance_status", "node_count", "jobs")
SELECT j."customer_id", j."user_id", t.v, j."state", j."performance_status", j."node_count", count(*)
FROM "jobs" j, LATERAL (SELECT DISTINCT u FROM unnest(j."tags") u) t(v) WHERE j."deleted_at" IS NULL GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO "job_benchmark_counts" ("customer_id", "user_id", "benchmark_id", "state", "performance_status", "node_count", "jobs")
SELECT j."customer_id", j."user_id", b.v, j."state", j."performance_status", j."node_count", count(*)
FROM "jobs" j, LATERAL (SELECT DISTINCT u FROM unnest(j."benchmark_ids") u) b(v) WHERE j."deleted_at" IS NULL GROUP BY 1, 2, 3, 4, 5, 6;
-- counters:end
