import type { Db } from "../db/client";
import { clock } from "../util/clock";
import { fleetMinSamples, QUICKMARK_METRICS, type QuickmarkMetric } from "./metrics";
import { vendorSpec } from "./vendor-specs";

export interface Reference {
  value: number;
  source: "fleet" | "vendor_spec";
  samples?: number;
}
export type ReferenceTable = Map<string, Partial<Record<QuickmarkMetric, Reference>>>;

const REFRESH_INTERVAL_MS = 60_000;

/**
 * Recomputes the fleet distribution (median, p10 of per-GPU values over every stored
 * quick_mark node result) for these GPU models, at most once a minute per model, and stores
 * it in gpu_references. Scoring then reads that small table instead of scanning results.
 */
export async function refreshFleetReferences(db: Db, gpuModels: string[], force = false): Promise<void> {
  const now = clock.now();
  for (const model of new Set(gpuModels)) {
    if (!force) {
      const fresh = await db.gpuReference.findFirst({ where: { gpuModel: model, updatedAt: { gt: new Date(now.getTime() - REFRESH_INTERVAL_MS) } } });
      if (fresh) continue;
    }
    // Per-GPU mean of each metric per node result, then percentiles across nodes.
    const selects = QUICKMARK_METRICS.map(
      (m) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY v.${m}) AS "${m}_median", percentile_cont(0.1) WITHIN GROUP (ORDER BY v.${m}) AS "${m}_p10", count(v.${m})::int AS "${m}_n"`,
    ).join(", ");
    const perGpu = QUICKMARK_METRICS.map(
      (m) => `(SELECT avg((g->>'${m}')::float8) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.results->'test_results') = 'array' THEN r.results->'test_results' ELSE '[]'::jsonb END) g WHERE jsonb_typeof(g->'${m}') = 'number') AS ${m}`,
    ).join(", ");
    const rows = await db.$queryRawUnsafe<Record<string, number | null>[]>(
      `SELECT ${selects} FROM (
         SELECT ${perGpu}
         FROM benchmark_results r JOIN tasks t ON t.id = r.task_id JOIN jobs j ON j.id = r.job_id
         WHERE r.benchmark_id = 'quick_mark' AND r.state = 'completed' AND t.gpu_model = $1 AND j.deleted_at IS NULL
           AND r.results->>'device' IS DISTINCT FROM 'cpu'
       ) v`,
      model,
    );
    const row = rows[0] ?? {};
    for (const m of QUICKMARK_METRICS) {
      const n = Number(row[`${m}_n`] ?? 0);
      if (!n) continue;
      // ON CONFLICT: jobs of the same model ending together refresh concurrently.
      await db.$executeRaw`INSERT INTO gpu_references (gpu_model, metric, median, p10, samples, updated_at)
        VALUES (${model}, ${m}, ${Number(row[`${m}_median`])}, ${Number(row[`${m}_p10`])}, ${n}, ${now})
        ON CONFLICT (gpu_model, metric) DO UPDATE SET median = EXCLUDED.median, p10 = EXCLUDED.p10, samples = EXCLUDED.samples, updated_at = EXCLUDED.updated_at`;
    }
  }
}

/** Reference per model and metric: the fleet median once trusted, else the vendor spec. */
export async function loadReferences(db: Db, gpuModels: string[]): Promise<ReferenceTable> {
  const models = [...new Set(gpuModels)];
  const stored = models.length ? await db.gpuReference.findMany({ where: { gpuModel: { in: models } } }) : [];
  const min = fleetMinSamples();
  const table: ReferenceTable = new Map();
  for (const model of models) {
    const refs: Partial<Record<QuickmarkMetric, Reference>> = {};
    const spec = vendorSpec(model);
    for (const m of QUICKMARK_METRICS) {
      const fleet = stored.find((s) => s.gpuModel === model && s.metric === m);
      if (fleet && fleet.samples >= min) refs[m] = { value: fleet.median, source: "fleet", samples: fleet.samples };
      else if (spec?.values[m] !== undefined) refs[m] = { value: spec.values[m]!, source: "vendor_spec" };
    }
    table.set(model, refs);
  }
  return table;
}

const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; refs: Partial<Record<QuickmarkMetric, Reference>> }>();

/** loadReferences for one model, memoised briefly: the hot path of result ingest. */
export async function loadReferencesCached(db: Db, gpuModel: string): Promise<Partial<Record<QuickmarkMetric, Reference>>> {
  const hit = cache.get(gpuModel);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit.refs;
  const refs = (await loadReferences(db, [gpuModel])).get(gpuModel) ?? {};
  cache.set(gpuModel, { at: now, refs });
  return refs;
}
