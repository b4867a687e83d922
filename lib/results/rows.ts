import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { selectSql, toBigInt, type RawRow, type TextDocs } from "../db/columns";
import { RESULT_SELECT, type ResultRow } from "../jobs/serialize";
import { jsonText } from "../util/json-text";

/**
 * The results matching `where` (on benchmark_results aliased `r`) in upload order, with the
 * columns an answer shows, straight through the pool. Their config and results documents come
 * as text to be written as they are (lib/util/json-text.ts), unless `parsed` asks for values —
 * compact results rewrite theirs.
 */
export async function readResultRows(db: Db, where: Prisma.Sql, parsed = false): Promise<ResultRow[]> {
  const sql = Prisma.sql`SELECT ${selectSql(RESULT_SELECT, "r", parsed ? [] : ["config", "results"])}
    FROM benchmark_results r WHERE ${where} ORDER BY r.id`;
  const ids = (r: { id: bigint | string; taskId: bigint | string | null }) => ({
    id: toBigInt(r.id),
    taskId: toBigInt(r.taskId),
  });
  if (parsed) return (await directQuery<RawRow<ResultRow>>(db, sql)).map((r) => ({ ...r, ...ids(r) }));
  return (await directQuery<RawRow<TextDocs<ResultRow, "config" | "results">>>(db, sql)).map((r) => ({
    ...r,
    ...ids(r),
    config: jsonText<Prisma.JsonValue>(r.config),
    results: jsonText<Prisma.JsonValue>(r.results),
  }));
}
