import { Prisma } from "../generated/prisma/client";
import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { KEY_METRICS, storedMetricValues, type QuickmarkMetric } from "../performance/metrics";
import { loadReferences } from "../performance/references";
import { machineRollupVisibilitySql } from "../auth/visibility";
import { rollupGpuModelsSql } from "./rollups";
import type { HeatmapQuery } from "./schemas";

interface HeatRow {
  id: number;
  uuid: string;
  gpu_model: string;
  model_machines: number;
  hostname: string | null;
  status: string;
  job_id: bigint;
  performance: unknown;
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * Per GPU model, the caller's machines × key metrics from each machine's latest visible run,
 * as a ratio to the model's fleet median (the vendor spec while the model has no band): the
 * fleet page's heatmap. Reads the fleet roll-ups' latest node per machine (as GET /machines
 * does) and the small gpu_references table; nothing scans results.
 */
export async function fleetHeatmap(db: Db, caller: Caller, q: HeatmapQuery) {
  // Only the key metrics' values leave the database, in the stored shape: a machine's whole
  // performance document is ten times that, for up to per_model × models machines.
  const keyMetricsOnly = Prisma.sql`jsonb_build_object('metrics', jsonb_build_object(${Prisma.join(
    KEY_METRICS.map(
      (m) => Prisma.sql`${m}::text, jsonb_build_object('value', t.performance->'metrics'->${m}::text->'value')`,
    ),
  )}))`;
  // Per GPU model, its machines seen most recently: an index range of the caller's roll-up
  // rows each (lib/fleet/rollups.ts), then their latest nodes' performance by task id.
  const rows = await db.$queryRaw<HeatRow[]>`
    SELECT m.id, m.uuid, m.gpu_model, g.machines AS model_machines, m.hostname, r.status, t.job_id, ${keyMetricsOnly} AS performance
    FROM (${rollupGpuModelsSql(caller, q.gpu_model)}) g
    CROSS JOIN LATERAL (
      SELECT r.machine_id, r.status, r.latest_task_id FROM machine_rollups r
      WHERE ${machineRollupVisibilitySql(caller, "r")} AND r.machine_id IS NOT NULL AND r.gpu_model = g.gpu_model
      ORDER BY r.last_seen_at DESC, r.machine_id DESC LIMIT ${q.per_model}
    ) r
    JOIN machines m ON m.id = r.machine_id
    JOIN tasks t ON t.id = r.latest_task_id
    ORDER BY m.gpu_model, m.uuid`;
  const models = [...new Set(rows.map((r) => r.gpu_model))];
  const refs = await loadReferences(db, models);
  return {
    metrics: KEY_METRICS,
    gpu_models: models.map((model) => {
      const ofModel = rows.filter((r) => r.gpu_model === model);
      const modelRefs = refs.get(model) ?? {};
      const centre = (m: QuickmarkMetric) => {
        const c = modelRefs[m]?.fleet?.median ?? modelRefs[m]?.spec ?? null;
        return c === null ? null : round(c);
      };
      return {
        gpu_model: model,
        // Every visible machine of the model; `machines` holds the per_model seen most recently.
        machine_count: ofModel[0].model_machines,
        reference: Object.fromEntries(
          KEY_METRICS.map((m) => [
            m,
            {
              value: centre(m),
              source: modelRefs[m]?.fleet ? "fleet" : modelRefs[m]?.spec != null ? "vendor_spec" : null,
            },
          ]),
        ),
        machines: ofModel.map((r) => {
          const values = storedMetricValues(r.performance, KEY_METRICS);
          const cells = Object.fromEntries(
            KEY_METRICS.map((m) => {
              const v = values[m];
              const c = centre(m);
              return [m, v === undefined ? null : { value: round(v), ratio: c ? round(v / c, 4) : null }];
            }),
          );
          return {
            id: Number(r.id),
            machine_uuid: r.uuid,
            hostname: r.hostname,
            status: r.status,
            last_job_id: String(r.job_id),
            cells,
          };
        }),
      };
    }),
  };
}
