import { KEY_METRICS, QUICKMARK_METRICS, type MetricValues, type QuickmarkMetric } from "./metrics";
import type { Reference } from "./references";

export type PerformanceStatus = "ok" | "underperforming" | "unknown";

export interface MetricScore {
  value: number;
  reference: number | null;
  ratio: number | null;
  source: Reference["source"] | null;
  status: PerformanceStatus;
}

export interface NodePerformance {
  status: PerformanceStatus;
  threshold: number;
  metrics: Partial<Record<QuickmarkMetric, MetricScore>>;
  underperforming_metrics: QuickmarkMetric[];
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** One node against its GPU model's references: underperforming if a key metric < threshold × reference. */
export function scoreNode(values: MetricValues, refs: Partial<Record<QuickmarkMetric, Reference>>, threshold: number): NodePerformance {
  const metrics: NodePerformance["metrics"] = {};
  const under: QuickmarkMetric[] = [];
  let keyScored = 0;
  for (const m of QUICKMARK_METRICS) {
    const value = values[m];
    if (value === undefined) continue;
    const ref = refs[m];
    const ratio = ref && ref.value > 0 ? value / ref.value : null;
    const isKey = KEY_METRICS.includes(m);
    let status: PerformanceStatus = "unknown";
    if (isKey && ratio !== null) {
      keyScored++;
      status = ratio < threshold ? "underperforming" : "ok";
      if (status === "underperforming") under.push(m);
    }
    metrics[m] = { value: round(value), reference: ref ? round(ref.value) : null, ratio: ratio === null ? null : round(ratio, 4), source: ref?.source ?? null, status };
  }
  const status: PerformanceStatus = under.length ? "underperforming" : keyScored ? "ok" : "unknown";
  return { status, threshold, metrics, underperforming_metrics: under };
}

export interface JobPerformance {
  status: PerformanceStatus;
  threshold: number;
  nodes_total: number;
  nodes_scored: number;
  nodes_underperforming: number;
  metrics: Partial<Record<QuickmarkMetric, { value: number; reference: number | null; ratio: number | null }>>;
  scoreboard_summary: {
    status: PerformanceStatus;
    gpu_models: string[];
    nodes_underperforming: number;
    nodes_total: number;
    worst: { machine_uuid: string; metric: QuickmarkMetric; ratio: number } | null;
    reference_sources: string[];
  } | null;
}

/** Rolls nodes up to the job: underperforming if any node is, ok if any node scored, else unknown. */
export function rollUpJob(nodes: { machineUuid: string; gpuModel: string | null; perf: NodePerformance | null }[], threshold: number): JobPerformance {
  const scored = nodes.filter((n) => n.perf && n.perf.status !== "unknown");
  const under = scored.filter((n) => n.perf!.status === "underperforming");
  const status: PerformanceStatus = under.length ? "underperforming" : scored.length ? "ok" : "unknown";
  const metrics: JobPerformance["metrics"] = {};
  for (const m of QUICKMARK_METRICS) {
    const entries = scored.map((n) => n.perf!.metrics[m]).filter((x): x is MetricScore => !!x);
    if (!entries.length) continue;
    const value = entries.reduce((a, e) => a + e.value, 0) / entries.length;
    const refs = entries.map((e) => e.reference).filter((r): r is number => r !== null);
    const reference = refs.length ? refs.reduce((a, b) => a + b, 0) / refs.length : null;
    metrics[m] = { value: round(value), reference: reference === null ? null : round(reference), ratio: reference ? round(value / reference, 4) : null };
  }
  let worst: { machine_uuid: string; metric: QuickmarkMetric; ratio: number } | null = null;
  for (const n of scored) {
    for (const m of KEY_METRICS) {
      const ratio = n.perf!.metrics[m]?.ratio;
      if (ratio != null && (!worst || ratio < worst.ratio)) worst = { machine_uuid: n.machineUuid, metric: m, ratio };
    }
  }
  const sources = new Set<string>();
  for (const n of scored) for (const s of Object.values(n.perf!.metrics)) if (s?.source) sources.add(s.source);
  return {
    status,
    threshold,
    nodes_total: nodes.length,
    nodes_scored: scored.length,
    nodes_underperforming: under.length,
    metrics,
    scoreboard_summary: scored.length
      ? {
          status,
          gpu_models: [...new Set(scored.map((n) => n.gpuModel).filter((g): g is string => !!g))],
          nodes_underperforming: under.length,
          nodes_total: nodes.length,
          worst,
          reference_sources: [...sources].sort(),
        }
      : null,
  };
}
