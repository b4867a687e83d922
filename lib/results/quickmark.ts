import { findBenchmark, type ResultField } from "../benchmarks/catalog";

/**
 * quick_mark results arrive in two shapes: Benchboard's agent names each GPU `gpu_index` /
 * `gpu_name`; SiliconMark's names it `gpu_id` (the device UUID) / `gpu_model` and reports
 * node aggregates (total_fp16_tflops, …, gpu_bandwidth_matrix) that ours leaves out. These
 * helpers read both, so every reader (roll-up, job page, PDF) sees one vocabulary.
 * Pure functions: the dashboard imports them too.
 */

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
const round = (v: number) => Math.round(v * 1000) / 1000;

/** Per-GPU rows with both identity spellings filled in: gpu_index and gpu_name always, gpu_id/gpu_model kept when sent. */
export function normaliseGpuRows(testResults: unknown): Json[] {
  if (!Array.isArray(testResults)) return [];
  return testResults.filter(isObject).map((row, i) => {
    const name =
      typeof row.gpu_name === "string" ? row.gpu_name : typeof row.gpu_model === "string" ? row.gpu_model : null;
    return { ...row, gpu_index: num(row.gpu_index) ?? i, gpu_name: name };
  });
}

/** A stored quick_mark result with normalised GPU rows (ingestion keeps what the agent sent and adds our keys). */
export function normaliseQuickmarkResults(results: Json | null | undefined): Json | null | undefined {
  if (!isObject(results) || !Array.isArray(results.test_results)) return results;
  return { ...results, test_results: normaliseGpuRows(results.test_results) };
}

export function combine(values: number[], rule: ResultField["aggregate"]): number {
  if (rule === "max") return Math.max(...values);
  if (rule === "min") return Math.min(...values);
  if (rule === "avg") return values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + b, 0);
}

/** One metric over a node's GPUs, combined by the catalog's rule (sum of TFLOPS, max temperature, …). */
function overGpus(rows: Json[], key: string, rule: ResultField["aggregate"]): number | null {
  const values = rows.map((r) => num(r[key])).filter((v): v is number => v !== null);
  return values.length ? round(combine(values, rule)) : null;
}

/**
 * Node aggregates SiliconMark defines from per-GPU figures. Per peak watt divides the node's
 * total by the highest per-GPU power draw, which reproduces SiliconMark's published example
 * (628.0 TFLOPS / 350 W → 1.79).
 */
function derivedAggregates(rows: Json[], have: Json): Json {
  const out: Json = {};
  const total16 = num(have.total_fp16_tflops) ?? overGpus(rows, "fp16_tflops", "sum");
  const total32 = num(have.total_fp32_tflops) ?? overGpus(rows, "fp32_tflops", "sum");
  const peakWatts = overGpus(rows, "power_consumption_watts", "max");
  if (total16 !== null) out.total_fp16_tflops = total16;
  if (total32 !== null) out.total_fp32_tflops = total32;
  const avgTemp = overGpus(rows, "temperature_centigrade", "avg");
  if (avgTemp !== null) out.avg_temperature = avgTemp;
  if (peakWatts) {
    if (total16 !== null) out.fp16_tflops_per_peak_watt = round(total16 / peakWatts);
    if (total32 !== null) out.fp32_tflops_per_peak_watt = round(total32 / peakWatts);
  }
  return out;
}

/**
 * A node's quick_mark aggregate: what the agent reported in aggregate_results, with every
 * catalogued key it lacks computed from test_results (per-GPU metrics by the catalog's rule,
 * totals, average temperature and efficiency as SiliconMark defines them).
 */
export function quickmarkNodeAggregate(results: unknown): Json {
  const r = isObject(results) ? results : {};
  const reported = isObject(r.aggregate_results) ? r.aggregate_results : {};
  const rows = normaliseGpuRows(r.test_results);
  const out: Json = { ...reported };
  for (const f of findBenchmark("quick_mark")!.result_fields) {
    if (out[f.key] !== undefined && out[f.key] !== null) continue;
    const v = overGpus(rows, f.key, f.aggregate);
    if (v !== null) out[f.key] = v;
  }
  for (const [k, v] of Object.entries(derivedAggregates(rows, reported)))
    if (out[k] === undefined || out[k] === null) out[k] = v;
  return out;
}

export interface GpuLink {
  source_gpu: number;
  target_gpu: number;
  duplex_gbs: number | null;
  simplex_gbs: number | null;
  connection_type: string | null;
}

/** The node's GPU↔GPU bandwidth matrix (SiliconMark's gpu_bandwidth_matrix), well-formed entries only. */
export function gpuBandwidthMatrix(results: unknown): GpuLink[] {
  const agg = quickmarkNodeAggregate(results);
  const raw = Array.isArray(agg.gpu_bandwidth_matrix) ? agg.gpu_bandwidth_matrix : [];
  return raw.filter(isObject).flatMap((e) => {
    const source = num(e.source_gpu);
    const target = num(e.target_gpu);
    if (source === null || target === null) return [];
    return [
      {
        source_gpu: source,
        target_gpu: target,
        duplex_gbs: num(e.duplex_gbs),
        simplex_gbs: num(e.simplex_gbs),
        connection_type: typeof e.connection_type === "string" ? e.connection_type : null,
      },
    ];
  });
}
