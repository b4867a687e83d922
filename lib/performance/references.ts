import type { Db } from "../db/client";
import { clock } from "../util/clock";
import { Prisma } from "../generated/prisma/client";
import { fleetMinSamples, fleetWindow, QUICKMARK_METRICS, storedMetricValues, type QuickmarkMetric } from "./metrics";
import { mad, median, quantile } from "./robust";
import { vendorSpec } from "./vendor-specs";

/** The GPU model's fleet band over the configured window: robust centre and spread. */
export interface FleetBand {
  median: number;
  mad: number;
  p10: number;
  samples: number;
}

export interface Reference {
  value: number;
  source: "fleet" | "vendor_spec";
  samples?: number;
  /** The three references behind a verdict, whichever was chosen as `value`. */
  fleet?: FleetBand | null;
  spec?: number | null;
}
export type ReferenceTable = Map<string, Partial<Record<QuickmarkMetric, Reference>>>;

const REFRESH_INTERVAL_MS = 60_000;

/**
 * Recomputes the fleet band (median, MAD, p10 of per-GPU values) of these GPU models over the
 * configured window — the last N scored nodes within D days, a LIMIT-ed walk of
 * tasks_gpu_model_window_idx — at most once a minute per model, and stores it in
 * gpu_references. Scoring then reads that small table instead of reading results.
 */
export async function refreshFleetReferences(db: Db, gpuModels: string[], force = false): Promise<void> {
  const now = clock.now();
  const window = fleetWindow();
  for (const model of new Set(gpuModels)) {
    if (!force) {
      const fresh = await db.gpuReference.findFirst({
        where: { gpuModel: model, updatedAt: { gt: new Date(now.getTime() - REFRESH_INTERVAL_MS) } },
      });
      if (fresh) continue;
    }
    const since = new Date(now.getTime() - window.days * 86_400_000);
    const rows = await db.$queryRaw<{ performance: unknown }[]>(Prisma.sql`
      SELECT t.performance FROM tasks t JOIN jobs j ON j.id = t.job_id
      WHERE t.gpu_model = ${model} AND t.performance IS NOT NULL AND t.created_at >= ${since} AND j.deleted_at IS NULL
      ORDER BY t.created_at DESC LIMIT ${window.runs}`);
    const values = rows.map((r) => storedMetricValues(r.performance));
    for (const m of QUICKMARK_METRICS) {
      const xs = values.map((v) => v[m]).filter((x): x is number => x !== undefined);
      if (!xs.length) continue;
      const center = median(xs);
      // ON CONFLICT: jobs of the same model ending together refresh concurrently.
      await db.$executeRaw`INSERT INTO gpu_references (gpu_model, metric, median, p10, mad, samples, updated_at)
        VALUES (${model}, ${m}, ${center}, ${quantile(xs, 0.1)}, ${mad(xs, center)}, ${xs.length}, ${now})
        ON CONFLICT (gpu_model, metric) DO UPDATE SET median = EXCLUDED.median, p10 = EXCLUDED.p10, mad = EXCLUDED.mad, samples = EXCLUDED.samples, updated_at = EXCLUDED.updated_at`;
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
      const row = stored.find((s) => s.gpuModel === model && s.metric === m);
      const fleet: FleetBand | null = row
        ? { median: row.median, mad: row.mad, p10: row.p10, samples: row.samples }
        : null;
      const specValue = spec?.values[m] ?? null;
      if (fleet && fleet.samples >= min)
        refs[m] = { value: fleet.median, source: "fleet", samples: fleet.samples, fleet, spec: specValue };
      else if (specValue !== null) refs[m] = { value: specValue, source: "vendor_spec", fleet, spec: specValue };
    }
    table.set(model, refs);
  }
  return table;
}

const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; refs: Partial<Record<QuickmarkMetric, Reference>> }>();

/** loadReferences for one model, memoised briefly: the hot path of result ingest. */
export async function loadReferencesCached(
  db: Db,
  gpuModel: string,
): Promise<Partial<Record<QuickmarkMetric, Reference>>> {
  const hit = cache.get(gpuModel);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit.refs;
  const refs = (await loadReferences(db, [gpuModel])).get(gpuModel) ?? {};
  cache.set(gpuModel, { at: now, refs });
  return refs;
}
