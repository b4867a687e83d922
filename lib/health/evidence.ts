import { KEY_METRICS, type QuickmarkMetric } from "../performance/metrics";
import type { NodePerformance, PerformanceStatus } from "../performance/scoring";

/** One run's side of the evidence: which node, its verdict and the key figures behind it. */
export interface NodeEvidence {
  task_id: string;
  job_id: string;
  job_name: string;
  /** ISO 8601: when the node ran. */
  ran_at: string;
  verdict: PerformanceStatus;
  underperforming_metrics: QuickmarkMetric[];
  regressed_metrics: QuickmarkMetric[];
  slow_gpus: string[];
  key_metrics: Partial<
    Record<QuickmarkMetric, { value: number; reference: number | null; ratio: number | null; baseline: number | null }>
  >;
  /** The key metric furthest below its reference: what the node's lost capacity is counted from. */
  limiting_metric: { metric: QuickmarkMetric; ratio: number } | null;
}

/** The limiting key metric of a scored node: the lowest ratio to its reference. */
export function limitingMetric(perf: NodePerformance | null): NodeEvidence["limiting_metric"] {
  let worst: NodeEvidence["limiting_metric"] = null;
  for (const m of KEY_METRICS) {
    const ratio = perf?.metrics?.[m]?.ratio;
    if (typeof ratio === "number" && (!worst || ratio < worst.ratio)) worst = { metric: m, ratio };
  }
  return worst;
}

export function nodeEvidence(
  task: { id: bigint; jobId: bigint; createdAt: Date; startedAt: Date | null },
  jobName: string,
  perf: NodePerformance | null,
): NodeEvidence {
  const key_metrics: NodeEvidence["key_metrics"] = {};
  for (const m of KEY_METRICS) {
    const s = perf?.metrics?.[m];
    if (s)
      key_metrics[m] = { value: s.value, reference: s.reference, ratio: s.ratio, baseline: s.history?.median ?? null };
  }
  return {
    task_id: task.id.toString(),
    job_id: task.jobId.toString(),
    job_name: jobName,
    ran_at: (task.startedAt ?? task.createdAt).toISOString(),
    verdict: perf?.status ?? "unknown",
    underperforming_metrics: perf?.underperforming_metrics ?? [],
    regressed_metrics: perf?.regressed_metrics ?? [],
    slow_gpus: perf?.slow_gpus ?? [],
    key_metrics,
    limiting_metric: limitingMetric(perf),
  };
}

/** What a machine's suspect state rests on: the flagged run and the re-run that confirmed it (absent when CONFIRM_RERUNS=0). */
export interface HealthEvidence {
  original: NodeEvidence;
  confirmation: NodeEvidence | null;
}

/** The ratio a state's cost is counted from: the latest run's limiting metric. */
export function evidenceRatio(evidence: HealthEvidence | null): number | null {
  const latest = evidence?.confirmation ?? evidence?.original;
  return latest?.limiting_metric?.ratio ?? null;
}
