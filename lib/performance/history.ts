import { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";
import { baselineByMetric } from "./history-test";
import { historySettings, KEY_METRICS, storedMetricValues, type MetricValues } from "./metrics";
import type { OwnBaseline } from "./scoring";

/** The node being scored: its machine (per customer), GPU model, and the run's start. */
export interface HistorySubject {
  customerId: number;
  machineUuid: string;
  gpuModel: string;
  taskId: bigint;
  before: Date;
}

/**
 * The machine's last `window` scored runs of this GPU model before this one, newest first,
 * since its latest baseline-resetting annotation: a LIMIT-ed walk of tasks_machine_history_idx.
 */
export async function loadOwnHistory(db: Db, s: HistorySubject, window: number): Promise<MetricValues[]> {
  const rows = await db.$queryRaw<{ performance: unknown }[]>(Prisma.sql`
    SELECT t.performance FROM tasks t JOIN jobs j ON j.id = t.job_id
    WHERE t.machine_uuid = ${s.machineUuid} AND t.gpu_model = ${s.gpuModel} AND t.performance IS NOT NULL
      AND t.created_at < ${s.before} AND t.id <> ${s.taskId}
      AND j.customer_id = ${s.customerId} AND j.deleted_at IS NULL
      AND t.created_at > COALESCE((
        SELECT max(a.created_at) FROM machine_annotations a JOIN machines m ON m.id = a.machine_id
        WHERE m.customer_id = ${s.customerId} AND m.uuid = ${s.machineUuid} AND a.resets_baseline), '-infinity'::timestamptz)
    ORDER BY t.created_at DESC LIMIT ${window}`);
  return rows.map((r) => storedMetricValues(r.performance, KEY_METRICS)).filter((v) => Object.keys(v).length > 0);
}

/** The subject's own baseline per key metric, with the test's settings. */
export async function loadOwnBaseline(db: Db, s: HistorySubject): Promise<OwnBaseline> {
  const settings = historySettings();
  return { values: baselineByMetric(await loadOwnHistory(db, s, settings.window)), settings };
}
