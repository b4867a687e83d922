import {
  KEY_METRICS,
  perGpuRows,
  perGpuValues,
  QUICKMARK_METRICS,
  type MetricValues,
  type QuickmarkMetric,
} from "./metrics";
import { historyVerdict, type HistoryVerdict } from "./history-test";
import type { HistorySettings } from "./metrics";
import type { Reference } from "./references";

export type PerformanceStatus = "ok" | "underperforming" | "regressed" | "unknown";

export interface MetricScore {
  value: number;
  reference: number | null;
  ratio: number | null;
  source: Reference["source"] | null;
  status: PerformanceStatus;
  /** The three references, each with its numbers (absent on results scored before they existed). */
  fleet?: { median: number; mad: number; samples: number } | null;
  spec?: number | null;
  history?: HistoryVerdict | null;
  /** Why the status, in words: which reference, value, band and test. */
  reason?: string;
}

export interface NodePerformance {
  status: PerformanceStatus;
  threshold: number;
  metrics: Partial<Record<QuickmarkMetric, MetricScore>>;
  underperforming_metrics: QuickmarkMetric[];
  regressed_metrics?: QuickmarkMetric[];
  /** Every GPU's key metrics against the same references (quick_mark test_results[]). */
  gpus?: GpuScore[];
  /** The GPUs with a key metric below threshold × reference, in words ("GPU 3: bf16_tflops 71 % of fleet median"). */
  slow_gpus?: string[];
}

export interface GpuScore {
  gpu_index: number;
  status: PerformanceStatus;
  metrics: Partial<Record<QuickmarkMetric, { value: number; ratio: number | null }>>;
  worst: { metric: QuickmarkMetric; ratio: number } | null;
}

/** What the own-history test needs: the machine's earlier values per key metric and the test's settings. */
export interface OwnBaseline {
  values: Partial<Record<QuickmarkMetric, number[]>>;
  settings: HistorySettings;
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const pct = (v: number) => `${round(v * 100, 1)} %`;
const sourceName = (s: Reference["source"]) => (s === "fleet" ? "fleet median" : "vendor spec");

function explain(
  m: QuickmarkMetric,
  value: number,
  ref: Reference | undefined,
  ratio: number | null,
  threshold: number,
  history: HistoryVerdict | null,
  status: PerformanceStatus,
  cfg?: HistorySettings,
): string {
  const against =
    ref && ratio !== null
      ? `${round(ratio, 3)} × the ${sourceName(ref.source)} ${round(ref.value)}`
      : "no reference for its GPU model";
  if (status === "underperforming") return `${m} ${round(value)} is ${against}, below the ${threshold} threshold`;
  if (!history)
    return `${m} ${round(value)} is ${against}${ratio !== null ? `, at or above the ${threshold} threshold` : ""}; own history: fewer than ${cfg?.minRuns ?? "enough"} earlier runs`;
  const own = `${pct(history.drop)} below this machine's baseline ${history.median} (median of ${history.runs} runs, MAD ${history.mad}, modified z ${history.z})`;
  if (status === "regressed")
    return `${m} ${round(value)} is ${own}: z ≤ −${cfg?.z} and drop ≥ ${pct(cfg?.minDrop ?? 0)}, although ${against}`;
  return `${m} ${round(value)} is ${against}; within this machine's baseline ${history.median} (modified z ${history.z})`;
}

/**
 * One node against its GPU model's references: underperforming if a key metric is below
 * threshold × reference; otherwise regressed if a key metric dropped significantly against
 * the machine's own baseline (historyVerdict); otherwise ok.
 */
export function scoreNode(
  values: MetricValues,
  refs: Partial<Record<QuickmarkMetric, Reference>>,
  threshold: number,
  baseline?: OwnBaseline,
): NodePerformance {
  const metrics: NodePerformance["metrics"] = {};
  const under: QuickmarkMetric[] = [];
  const regressed: QuickmarkMetric[] = [];
  let keyScored = 0;
  for (const m of QUICKMARK_METRICS) {
    const value = values[m];
    if (value === undefined) continue;
    const ref = refs[m];
    const ratio = ref && ref.value > 0 ? value / ref.value : null;
    const isKey = KEY_METRICS.includes(m);
    const history = isKey && baseline?.values[m] ? historyVerdict(value, baseline.values[m]!, baseline.settings) : null;
    let status: PerformanceStatus = "unknown";
    if (isKey && ratio !== null) {
      keyScored++;
      status = ratio < threshold ? "underperforming" : history?.regressed ? "regressed" : "ok";
      if (status === "underperforming") under.push(m);
      if (status === "regressed") regressed.push(m);
    }
    const fleet = ref?.fleet
      ? { median: round(ref.fleet.median), mad: round(ref.fleet.mad), samples: ref.fleet.samples }
      : null;
    metrics[m] = {
      value: round(value),
      reference: ref ? round(ref.value) : null,
      ratio: ratio === null ? null : round(ratio, 4),
      source: ref?.source ?? null,
      status,
      fleet,
      spec: ref?.spec ?? null,
      ...(isKey
        ? { history, reason: explain(m, value, ref, ratio, threshold, history, status, baseline?.settings) }
        : {}),
    };
  }
  const status: PerformanceStatus = under.length
    ? "underperforming"
    : regressed.length
      ? "regressed"
      : keyScored
        ? "ok"
        : "unknown";
  return { status, threshold, metrics, underperforming_metrics: under, regressed_metrics: regressed };
}

/** Each GPU's key metrics against the node's references: one slow GPU hides in a node's mean. */
export function scoreGpus(
  rows: { index: number; values: MetricValues }[],
  refs: Partial<Record<QuickmarkMetric, Reference>>,
  threshold: number,
): GpuScore[] {
  return rows.map(({ index, values }) => {
    const metrics: GpuScore["metrics"] = {};
    let worst: GpuScore["worst"] = null;
    for (const m of KEY_METRICS) {
      const value = values[m];
      if (value === undefined) continue;
      const ref = refs[m];
      const ratio = ref && ref.value > 0 ? round(value / ref.value, 4) : null;
      metrics[m] = { value: round(value), ratio };
      if (ratio !== null && (!worst || ratio < worst.ratio)) worst = { metric: m, ratio };
    }
    const status: PerformanceStatus = worst === null ? "unknown" : worst.ratio < threshold ? "underperforming" : "ok";
    return { gpu_index: index, status, metrics, worst };
  });
}

/**
 * A node's quick_mark result scored as a whole (the mean per GPU, against all three
 * references) and GPU by GPU: a GPU below the threshold makes the node underperforming even
 * when the node's mean is not, and is named in slow_gpus.
 */
export function scoreQuickmark(
  results: unknown,
  refs: Partial<Record<QuickmarkMetric, Reference>>,
  threshold: number,
  baseline?: OwnBaseline,
): NodePerformance {
  const node = scoreNode(perGpuValues(results), refs, threshold, baseline);
  const gpus = scoreGpus(perGpuRows(results), refs, threshold);
  const slow = gpus.filter((g) => g.status === "underperforming");
  if (!slow.length) return { ...node, gpus, slow_gpus: [] };
  const metrics = new Set([...node.underperforming_metrics, ...slow.map((g) => g.worst!.metric)]);
  return {
    ...node,
    status: "underperforming",
    underperforming_metrics: KEY_METRICS.filter((m) => metrics.has(m)),
    gpus,
    slow_gpus: slow.map(
      (g) =>
        `GPU ${g.gpu_index}: ${g.worst!.metric} ${round(g.worst!.ratio * 100, 1)} % of ${sourceName(refs[g.worst!.metric]!.source)}`,
    ),
  };
}

export interface JobPerformance {
  status: PerformanceStatus;
  threshold: number;
  nodes_total: number;
  nodes_scored: number;
  nodes_underperforming: number;
  nodes_regressed: number;
  metrics: Partial<Record<QuickmarkMetric, { value: number; reference: number | null; ratio: number | null }>>;
  scoreboard_summary: {
    status: PerformanceStatus;
    gpu_models: string[];
    nodes_underperforming: number;
    nodes_regressed: number;
    nodes_total: number;
    worst: { machine_uuid: string; metric: QuickmarkMetric; ratio: number } | null;
    reference_sources: string[];
  } | null;
}

/** Rolls nodes up to the job: underperforming if any node is, else regressed if any node is, ok if any node scored, else unknown. */
export function rollUpJob(
  nodes: { machineUuid: string; gpuModel: string | null; perf: NodePerformance | null }[],
  threshold: number,
): JobPerformance {
  const scored = nodes.filter((n) => n.perf && n.perf.status !== "unknown");
  const under = scored.filter((n) => n.perf!.status === "underperforming");
  const regressed = scored.filter((n) => n.perf!.status === "regressed");
  const status: PerformanceStatus = under.length
    ? "underperforming"
    : regressed.length
      ? "regressed"
      : scored.length
        ? "ok"
        : "unknown";
  const metrics: JobPerformance["metrics"] = {};
  for (const m of QUICKMARK_METRICS) {
    const entries = scored.map((n) => n.perf!.metrics[m]).filter((x): x is MetricScore => !!x);
    if (!entries.length) continue;
    const value = entries.reduce((a, e) => a + e.value, 0) / entries.length;
    const refs = entries.map((e) => e.reference).filter((r): r is number => r !== null);
    const reference = refs.length ? refs.reduce((a, b) => a + b, 0) / refs.length : null;
    metrics[m] = {
      value: round(value),
      reference: reference === null ? null : round(reference),
      ratio: reference ? round(value / reference, 4) : null,
    };
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
    nodes_regressed: regressed.length,
    metrics,
    scoreboard_summary: scored.length
      ? {
          status,
          gpu_models: [...new Set(scored.map((n) => n.gpuModel).filter((g): g is string => !!g))],
          nodes_underperforming: under.length,
          nodes_regressed: regressed.length,
          nodes_total: nodes.length,
          worst,
          reference_sources: [...sources].sort(),
        }
      : null,
  };
}
