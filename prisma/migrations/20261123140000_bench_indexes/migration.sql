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
-- whole 50 ms budget. Live jobs per (customer, user, state, performance status), and per
-- (customer, user, tag), are kept by a trigger in the same transaction as the job change,
-- so they are exact under MVCC: lib/jobs/counts.ts reads them when a request's filters are
-- only these dimensions and counts rows otherwise. The tag counts also answer GET
-- /jobs/tags, which would otherwise unnest every visible job's tags. Rows at zero are
-- deleted, so a tag listed here is on at least one live job.
CREATE TABLE "job_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "performance_status" TEXT NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "state", "performance_status")
);
CREATE TABLE "job_tag_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_tag_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "tag")
);

-- One statement per table with the old contribution (-1) and the new one (+1) netted and in
-- key order: counter rows are always locked in the same order, so two jobs changing at once
-- cannot deadlock on them.
CREATE FUNCTION "jobs_maintain_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "job_counts" AS c ("customer_id", "user_id", "state", "performance_status", "jobs")
  SELECT d.customer_id, d.user_id, d.state, d.performance_status, sum(d.delta)::int
  FROM (
    SELECT OLD.customer_id, OLD.user_id, OLD.state, OLD.performance_status, -1 AS delta WHERE TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
    UNION ALL
    SELECT NEW.customer_id, NEW.user_id, NEW.state, NEW.performance_status, 1 WHERE TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
  ) d(customer_id, user_id, state, performance_status, delta)
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("customer_id", "user_id", "state", "performance_status") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";

  INSERT INTO "job_tag_counts" AS c ("customer_id", "user_id", "tag", "jobs")
  SELECT d.customer_id, d.user_id, d.tag, sum(d.delta)::int
  FROM (
    SELECT DISTINCT OLD.customer_id, OLD.user_id, t, -1 FROM unnest(OLD.tags) t WHERE TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
    UNION ALL
    SELECT DISTINCT NEW.customer_id, NEW.user_id, t, 1 FROM unnest(NEW.tags) t WHERE TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
  ) d(customer_id, user_id, tag, delta)
  GROUP BY 1, 2, 3 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT ("customer_id", "user_id", "tag") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";

  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    DELETE FROM "job_counts" WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "jobs" = 0;
    DELETE FROM "job_tag_counts" WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "jobs" = 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "jobs_counts_insert" AFTER INSERT OR DELETE ON "jobs" FOR EACH ROW EXECUTE FUNCTION "jobs_maintain_counts"();
-- Only updates of a counted column; the trigger's own WHEN skips no-op rewrites of them.
CREATE TRIGGER "jobs_counts_update" AFTER UPDATE OF "customer_id", "user_id", "state", "performance_status", "tags", "deleted_at" ON "jobs"
  FOR EACH ROW WHEN (OLD."customer_id" IS DISTINCT FROM NEW."customer_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
                     OR OLD."state" IS DISTINCT FROM NEW."state" OR OLD."performance_status" IS DISTINCT FROM NEW."performance_status"
                     OR OLD."tags" IS DISTINCT FROM NEW."tags" OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_maintain_counts"();

-- Existing databases: count what is there.
INSERT INTO "job_counts" ("customer_id", "user_id", "state", "performance_status", "jobs")
SELECT "customer_id", "user_id", "state", "performance_status", count(*) FROM "jobs" WHERE "deleted_at" IS NULL GROUP BY 1, 2, 3, 4;
INSERT INTO "job_tag_counts" ("customer_id", "user_id", "tag", "jobs")
SELECT j."customer_id", j."user_id", t.tag, count(*) FROM "jobs" j, LATERAL (SELECT DISTINCT u AS tag FROM unnest(j."tags") u) t
WHERE j."deleted_at" IS NULL GROUP BY 1, 2, 3;
