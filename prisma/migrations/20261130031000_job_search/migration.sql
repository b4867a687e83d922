-- The name and multi-tag filters at 1M jobs (docs/performance-budget.md: ≤ 50 ms p95 for
-- every role). A common word in `name=` matches tens of thousands of jobs; counting them
-- (the list's exact total) rechecked every match on the wide jobs rows — several KB each,
-- with their performance documents — which cost 200–900 ms. job_search is a narrow copy of
-- the live jobs' searchable columns (about 80 bytes a row, so the whole table stays in
-- memory), kept by a trigger in the same transaction as every job change. lib/jobs/search.ts
-- counts and pages name and tag filters here, then reads the page's jobs by id.
CREATE TABLE "job_search" (
    "id" BIGINT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "job_search_pkey" PRIMARY KEY ("id")
);
-- The list's default order (created_at, id) within each scope: everything, a customer, a user.
CREATE INDEX "job_search_created_at_id_idx" ON "job_search"("created_at", "id");
CREATE INDEX "job_search_customer_id_created_at_id_idx" ON "job_search"("customer_id", "created_at", "id");
CREATE INDEX "job_search_customer_id_user_id_created_at_id_idx" ON "job_search"("customer_id", "user_id", "created_at", "id");
CREATE INDEX "job_search_name_idx" ON "job_search" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "job_search_tags_idx" ON "job_search" USING GIN ("tags");

CREATE FUNCTION "jobs_maintain_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    DELETE FROM "job_search" WHERE "id" = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
    INSERT INTO "job_search" ("id", "customer_id", "user_id", "created_at", "name", "tags")
    VALUES (NEW.id, NEW.customer_id, NEW.user_id, NEW.created_at, NEW.name, NEW.tags);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "jobs_search_insert_delete" AFTER INSERT OR DELETE ON "jobs" FOR EACH ROW EXECUTE FUNCTION "jobs_maintain_search"();
-- Only changes of a copied column fire it (progress, nodes joining and results do not).
CREATE TRIGGER "jobs_search_update" AFTER UPDATE OF "id", "customer_id", "user_id", "created_at", "name", "tags", "deleted_at" ON "jobs"
  FOR EACH ROW WHEN (OLD."id" IS DISTINCT FROM NEW."id" OR OLD."customer_id" IS DISTINCT FROM NEW."customer_id"
                     OR OLD."user_id" IS DISTINCT FROM NEW."user_id" OR OLD."created_at" IS DISTINCT FROM NEW."created_at"
                     OR OLD."name" IS DISTINCT FROM NEW."name" OR OLD."tags" IS DISTINCT FROM NEW."tags"
                     OR (OLD."deleted_at" IS NULL) <> (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "jobs_maintain_search"();

-- Existing databases: copy what is there (bench/seed.ts runs this after its bulk load).
-- search:begin
INSERT INTO "job_search" ("id", "customer_id", "user_id", "created_at", "name", "tags")
SELECT "id", "customer_id", "user_id", "created_at", "name", "tags" FROM "jobs" WHERE "deleted_at" IS NULL;
-- search:end
