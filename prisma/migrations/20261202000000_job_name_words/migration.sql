-- The total of `name=` with a common word at 1M jobs (docs/performance-budget.md: ≤ 50 ms p95
-- for every role). Counted in job_search, a word like "soak" is tens of thousands of matches
-- spread over every block of the table, each rechecked against its name: 40–60 ms on a 2-core
-- VM, most of it visiting the blocks. A name is words; a pattern that holds no whitespace
-- (and no LIKE wildcard) occurs in a name exactly when it occurs inside one of the name's
-- words, because an occurrence cannot cross the whitespace between them. So a trigger on
-- job_search now also keeps:
--   job_name_words: per customer and user, how many live jobs have each distinct word in their
--     lowercased name. A pattern is looked up here (trigram index); when it occurs in one word
--     only, the total is that word's rows summed over the caller's scope.
--   job_name_tokens: one row per live job and distinct word, whose primary key is read by an
--     index-only scan: a pattern in several words (say "soak" in "soak" and "presoak") counts
--     the distinct jobs holding any of them.
-- lib/jobs/name-words.ts reads them and falls back to job_search for any other pattern.
-- Words are split on ASCII whitespace only, the same set the reading side refuses in a pattern.
CREATE FUNCTION "job_name_words_of"(name_lower TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(array_agg(DISTINCT w ORDER BY w), '{}')
  FROM regexp_split_to_table(name_lower, '[ \t\n\r\f\v]+') w WHERE w <> ''
$$;

CREATE TABLE "job_name_words" (
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "word" TEXT NOT NULL,
    "jobs" INTEGER NOT NULL,
    CONSTRAINT "job_name_words_pkey" PRIMARY KEY ("customer_id", "user_id", "word")
);
CREATE INDEX "job_name_words_word_idx" ON "job_name_words" USING GIN ("word" gin_trgm_ops);

CREATE TABLE "job_name_tokens" (
    "word" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "job_id" BIGINT NOT NULL,
    CONSTRAINT "job_name_tokens_pkey" PRIMARY KEY ("word", "customer_id", "user_id", "job_id")
);

-- Kept from job_search's own rows, which its trigger on jobs only ever inserts and deletes (a
-- rename or a tag edit is a delete and an insert). The old row's words (-1) and the new row's
-- (+1) are netted in one statement, in key order, so two jobs' changes never lock each other's
-- rows in opposite orders.
CREATE FUNCTION "job_search_maintain_words"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_words TEXT[] := CASE WHEN TG_OP <> 'INSERT' THEN job_name_words_of(OLD.name_lower) END;
  new_words TEXT[] := CASE WHEN TG_OP <> 'DELETE' THEN job_name_words_of(NEW.name_lower) END;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM "job_name_tokens"
    WHERE "word" = ANY (old_words) AND "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "job_id" = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "job_name_tokens" ("word", "customer_id", "user_id", "job_id")
    SELECT w, NEW.customer_id, NEW.user_id, NEW.id FROM unnest(new_words) w;
  END IF;
  INSERT INTO "job_name_words" AS c ("customer_id", "user_id", "word", "jobs")
  SELECT d.customer_id, d.user_id, d.word, sum(d.delta)::int
  FROM (
    SELECT OLD.customer_id, OLD.user_id, w, -1 FROM unnest(old_words) w
    UNION ALL
    SELECT NEW.customer_id, NEW.user_id, w, 1 FROM unnest(new_words) w
  ) d(customer_id, user_id, word, delta)
  GROUP BY 1, 2, 3 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT ("customer_id", "user_id", "word") DO UPDATE SET "jobs" = c."jobs" + EXCLUDED."jobs";
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM "job_name_words"
    WHERE "customer_id" = OLD.customer_id AND "user_id" = OLD.user_id AND "word" = ANY (old_words) AND "jobs" = 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "job_search_words" AFTER INSERT OR DELETE OR UPDATE ON "job_search"
  FOR EACH ROW EXECUTE FUNCTION "job_search_maintain_words"();

-- Existing databases: the words of what is there (bench/seed.ts runs these statements again
-- after its bulk load).
-- name_words:begin
INSERT INTO "job_name_tokens" ("word", "customer_id", "user_id", "job_id")
SELECT w, s."customer_id", s."user_id", s."id" FROM "job_search" s, unnest(job_name_words_of(s."name_lower")) w;
INSERT INTO "job_name_words" ("customer_id", "user_id", "word", "jobs")
SELECT "customer_id", "user_id", "word", count(*) FROM "job_name_tokens" GROUP BY 1, 2, 3;
-- name_words:end
