import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";

/**
 * What a pattern may not hold to be looked up by word: ASCII whitespace (the words' separator,
 * `job_name_words_of` in the migration) and LIKE's wildcards and escape.
 */
const OUTSIDE_ONE_WORD = /[ \t\n\r\f\v%_\\]/;
/** pg_trgm finds candidates only from runs of three letters or digits; without one it scans. */
const TRIGRAM = /[\p{L}\p{N}]{3}/u;
/** At most this many distinct words, and per-owner rows of them, before job_search counts instead. */
const WORDS = 100;
const WORD_ROWS = 5000;

/** Whether countByNameWords can answer for this pattern (else null, without a query). */
function nameWordsAnswer(name: string): boolean {
  return !OUTSIDE_ONE_WORD.test(name) && TRIGRAM.test(name);
}

/**
 * The total of `name=` alone from the words of the live jobs' names (job_name_words and
 * job_name_tokens, migration 20261202000000_job_name_words), instead of rechecking every match
 * in job_search. A pattern without whitespace occurs in a name exactly when it occurs inside
 * one of the name's words, so:
 * - no word of the caller's scope holds it: the total is 0;
 * - one word does: the total is that word's live jobs, summed over the scope's rows (one per
 *   customer and user);
 * - a few words do: the distinct jobs holding any of them, from job_name_tokens' primary key
 *   (an index-only scan).
 * Anything else returns null and the caller counts in job_search: a pattern with whitespace
 * (the words are split on it), a LIKE wildcard or escape (`%`, `_`, `\`, which the filter
 * honours as given), too short for the trigram index (no run of three letters or digits), or
 * found in more than WORDS words / WORD_ROWS rows (a pattern like "123" in thousands of
 * numbered names, where job_search is as quick).
 */
export async function countByNameWords(db: Db, caller: Caller, name: string): Promise<number | null> {
  if (!nameWordsAnswer(name)) return null;
  // `m` is materialised once and capped before it is grouped; the tokens are counted only when
  // the CASE gets there, as an index condition on the words found (= ANY of one array).
  const [row] = await directQuery<{ n: number | null }>(
    db,
    Prisma.sql`WITH m AS MATERIALIZED (
        SELECT w.word, w.jobs FROM job_name_words w
        WHERE w.word LIKE ('%' || lower(${name}::text) || '%') AND ${jobCountersVisibilitySql(caller, "w")}
        LIMIT ${WORD_ROWS + 1}::int),
      found AS MATERIALIZED (SELECT word, sum(jobs) AS jobs FROM m GROUP BY word)
      SELECT CASE
        WHEN (SELECT count(*) FROM m) > ${WORD_ROWS}::int OR (SELECT count(*) FROM found) > ${WORDS}::int THEN NULL
        WHEN (SELECT count(*) FROM found) <= 1 THEN (SELECT COALESCE(sum(jobs), 0) FROM found)::int
        ELSE (SELECT count(DISTINCT n.job_id)::int FROM job_name_tokens n
              WHERE n.word = ANY ((SELECT array_agg(word) FROM found)::text[]) AND ${jobCountersVisibilitySql(caller, "n")})
      END AS n`,
  );
  return row.n === null ? null : Number(row.n);
}
