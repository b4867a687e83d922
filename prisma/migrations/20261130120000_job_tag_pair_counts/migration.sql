-- GET /jobs's exact total when it filters by one or two tags and nothing else. One tag summed
-- job_tag_counts, whose rows are split by state, performance status and node count — about
-- 17,000 rows of one common tag for a root admin at 1M jobs; two tags counted their matches
-- in job_search, rechecking tens of thousands of rows (20–70 ms at 1M jobs). Here the trigger
-- that keeps job_search also keeps, per customer and user, the live jobs holding each pair of
-- distinct tags; a tag paired with itself is the jobs holding that tag. So a one- or two-tag
-- total is a sum over at most one row per user in scope (lib/jobs/counts.ts). The pair is
-- stored in order (tag_a <= tag_b, in the database's collation, as the reading side's
-- LEAST/GREATEST). Rows that reach zero are deleted.
CREATE TABLE "job_tag_pair_counts" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "tag_a" TEXT NOT NULL,
    "tag_b" TEXT NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_tag_pair_counts_pkey" PRIMARY KEY ("customer_id", "user_id", "tag_a", "tag_b")
);
-- A customer admin's and a root admin's totals (a user's is the primary key).
CREATE INDEX "job_tag_pair_counts_customer_id_tag_a_tag_b_idx" ON "job_tag_pair_counts"("customer_id", "tag_a", "tag_b");
CREATE INDEX "job_tag_pair_counts_tag_a_tag_b_idx" ON "job_tag_pair_counts"("tag_a", "tag_b");

-- The old row's pairs (-1) and the new row's (+1) are netted in one statement, in key order, as
-- jobs_maintain_counts does: two jobs' tag edits then never lock each other's counter rows in
-- opposite orders, and a change that keeps the tags (a rename) writes no counter.
CREATE OR REPLACE FUNCTION "jobs_maintain_search"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_live BOOLEAN := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL;
  is_live BOOLEAN := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL;
BEGIN
  IF was_live THEN
    DELETE FROM "job_search" WHERE "id" = OLD.id;
  END IF;
  IF is_live THEN
    INSERT INTO "job_search" ("id", "customer_id", "user_id", "created_at", "name_lower", "tags")
    VALUES (NEW.id, NEW.customer_id, NEW.user_id, NEW.created_at, lower(NEW.name), NEW.tags);
  END IF;

  INSERT INTO "job_tag_pair_counts" AS c ("customer_id", "user_id", "tag_a", "tag_b", "jobs")
  SELECT d.customer_id, d.user_id, d.tag_a, d.tag_b, sum(d.delta)::int
  FROM (
    SELECT OLD.customer_id, OLD.user_id, a, b, -1
    FROM (SELECT DISTINCT unnest(OLD.tags)) x(a), (SELECT DISTINCT unnest(OLD.tags)) y(b) WHERE was_live AND a <= b
    UNION ALL
    SELECT NEW.customer_id, NEW.user_id, a, b, 1
    FROM (SELECT DISTINCT unnest(NEW.tags)) x(a), (SELECT DISTINCT unnest(NEW.tags)) y(b) WHERE is_live AND a <= b
  ) d(customer_id, user_id, tag_a, tag_b, delta)
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("customer_id", "user_id", "tag_a", "tag_b") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";
  IF was_live THEN
    DELETE FROM "job_tag_pair_counts"
    WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "tag_a" = ANY (OLD.tags) AND "jobs" = 0;
  END IF;
  RETURN NULL;
END $$;

-- Existing databases: count what is there (bench/seed.ts runs these statements again after
-- its bulk load).
-- tag_pairs:begin
INSERT INTO "job_tag_pair_counts" ("customer_id", "user_id", "tag_a", "tag_b", "jobs")
SELECT s."customer_id", s."user_id", a, b, count(*)
FROM "job_search" s,
     LATERAL (SELECT DISTINCT unnest(s."tags")) x(a),
     LATERAL (SELECT DISTINCT unnest(s."tags")) y(b)
WHERE a <= b
GROUP BY 1, 2, 3, 4;
-- tag_pairs:end
