import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { selectSql, toBigInt, type RawRow } from "../db/columns";
import { RESULT_SELECT, type ResultRow } from "../jobs/serialize";
import { jsonText } from "../util/json-text";

/**
 * The results matching `where` (on benchmark_results aliased `r`) in upload order, with the
 * columns an answer shows, straight through the pool. Their config and results documents come
 * as text to be written as they are (lib/util/json-text.ts), unless `parsed` asks for values —
 * compact results rewrite theirs.
 */
export async function readResultRows(db: Db, where: Prisma.Sql, parsed = false): Promise<ResultRow[]> {
  const rows = await directQuery<RawRow<ResultRow>>(
    db,
    Prisma.sql`SELECT ${selectSql(RESULT_SELECT, "r", parsed ? [] : ["config", "results"])}
      FROM benchmark_results r WHERE ${where} ORDER BY r.id`,
  );
  return rows.map((r) => ({
    ...r,
    id: toBigInt(r.id),
    taskId: toBigInt(r.taskId),
    ...(parsed
      ? {}
      : {
          config: jsonText<Prisma.JsonValue>(r.config as string | null),
          results: jsonText<Prisma.JsonValue>(r.results as string | null),
        }),
  }));
}
