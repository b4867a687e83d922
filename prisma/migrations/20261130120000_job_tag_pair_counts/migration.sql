-- GET /jobs's exact total when it filters by one or two tags and nothing else. One tag summed
-- job_tag_counts, whose rows are split by state, performance status and node count — about
-- 17,000 rows of one common tag for a root admin at 1M jobs; two tags counted their matches
-- in job_search, rechecking tens of thousands of rows (20–70 ms at 1M jobs). Here a trigger on
-- job_search (the live jobs' tags) keeps, per customer and user, the jobs holding each pair of
-- distinct tags; a tag paired with itself is the jobs holding that tag. So a one- or two-tag
-- total is a sum over at most one row per user in scope (lib/jobs/counts.ts). The pair is
-- stored in order (tag_a <= tag_b, the database's collation, as the reading side's
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

-- job_search rows are only inserted and deleted (jobs_maintain_search replaces a changed job's
-- row), so a job's pairs are added with its row and taken away with it, in key order.
CREATE FUNCTION "job_search_maintain_tag_pairs"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r "job_search";
  delta INTEGER;
BEGIN
  IF TG_OP = 'INSERT' THEN r := NEW; delta := 1; ELSE r := OLD; delta := -1; END IF;
  INSERT INTO "job_tag_pair_counts" AS c ("customer_id", "user_id", "tag_a", "tag_b", "jobs")
  SELECT r.customer_id, r.user_id, a.t, b.t, delta
  FROM (SELECT DISTINCT t FROM unnest(r.tags) t) a JOIN (SELECT DISTINCT t FROM unnest(r.tags) t) b ON a.t <= b.t
  ORDER BY 3, 4
  ON CONFLICT ("customer_id", "user_id", "tag_a", "tag_b") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";
  IF delta < 0 THEN
    DELETE FROM "job_tag_pair_counts"
    WHERE "customer_id" = r.customer_id AND "user_id" = r.user_id AND "tag_a" = ANY (r.tags) AND "jobs" = 0;
  END IF;
  RETURN NULL;
END $$;

-- Existing databases: count what is there (bench/seed.ts runs these statements again after
-- its bulk load).
-- tag_pairs:begin
INSERT INTO "job_tag_pair_counts" ("customer_id", "user_id", "tag_a", "tag_b", "jobs")
SELECT s."customer_id", s."user_id", a.t, b.t, count(*)
FROM "job_search" s,
     LATERAL (SELECT DISTINCT t FROM unnest(s."tags") t) a,
     LATERAL (SELECT DISTINCT t FROM unnest(s."tags") t) b
WHERE a.t <= b.t
GROUP BY 1, 2, 3, 4;
-- tag_pairs:end

CREATE TRIGGER "job_search_tag_pairs" AFTER INSERT OR DELETE ON "job_search"
  FOR EACH ROW EXECUTE FUNCTION "job_search_maintain_tag_pairs"();
