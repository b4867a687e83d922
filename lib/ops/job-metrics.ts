import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { allJobsSql, jobVisibilitySql } from "../auth/visibility";
import { clock } from "../util/clock";

const DAY_MS = 24 * 3600 * 1000;

interface Row {
  submitted: bigint;
  completed: bigint;
  failed: bigint;
  aborted: bigint;
  exec_p50: number | null;
  exec_p99: number | null;
  peak_hour: bigint | null;
}

/**
 * Job metrics over the last 24 hours: jobs submitted (created), completed
 * (completed or completed_with_warnings), failed and aborted (ended in the window), success
 * rate = completed / (completed + failed), run time percentiles and throughput. `scope` is
 * the caller whose visible jobs count; null counts every job (the operator's Prometheus view).
 * A job lives at most 24 h, so whatever ended in the window was created in the last 48 h:
 * that bound keeps the scan on the created_at indexes.
 */
export async function jobMetrics(db: Db, scope: Caller | null) {
  const vis = scope ? jobVisibilitySql(scope) : allJobsSql;
  const now = clock.now();
  const since = new Date(now.getTime() - DAY_MS);
  const created = new Date(now.getTime() - 2 * DAY_MS);
  const [row] = await db.$queryRaw<Row[]>`
    WITH w AS (
       SELECT j.state, j.created_at, j.started_at, j.ended_at FROM jobs j
        WHERE ${vis} AND j.created_at >= ${created}
     ), ended AS (SELECT * FROM w WHERE ended_at >= ${since})
     SELECT (SELECT count(*) FROM w WHERE created_at >= ${since}) AS submitted,
            (SELECT count(*) FROM ended WHERE state IN ('completed', 'completed_with_warnings')) AS completed,
            (SELECT count(*) FROM ended WHERE state = 'failed') AS failed,
            (SELECT count(*) FROM ended WHERE state = 'aborted') AS aborted,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ended_at - started_at)) FROM ended WHERE started_at IS NOT NULL)::float8 AS exec_p50,
            (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ended_at - started_at)) FROM ended WHERE started_at IS NOT NULL)::float8 AS exec_p99,
            (SELECT max(c) FROM (SELECT count(*) AS c FROM ended GROUP BY date_trunc('hour', ended_at)) h) AS peak_hour`;
  const completed = Number(row.completed);
  const failed = Number(row.failed);
  const aborted = Number(row.aborted);
  const round = (v: number | null, digits: number) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
  return {
    total_submitted_24h: Number(row.submitted),
    total_completed_24h: completed,
    total_failed_24h: failed,
    total_aborted_24h: aborted,
    success_rate: completed + failed ? round(completed / (completed + failed), 4) : null,
    execution_p50_seconds: round(row.exec_p50, 1),
    execution_p99_seconds: round(row.exec_p99, 1),
    jobs_per_second: round((completed + failed + aborted) / 86_400, 6),
    peak_jobs_per_second: round(Number(row.peak_hour ?? 0) / 3600, 6),
  };
}
