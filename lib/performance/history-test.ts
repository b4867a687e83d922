import { KEY_METRICS, type HistorySettings, type MetricValues, type QuickmarkMetric } from "./metrics";
import { MAD_FLOOR, mad, median, modifiedZ } from "./robust";

/** One key metric against the machine's own baseline. */
export interface HistoryVerdict {
  median: number;
  mad: number;
  runs: number;
  z: number;
  drop: number;
  regressed: boolean;
}

/**
 * Modified z-score of the value against the baseline's median and MAD: regressed when it is
 * at or below −z AND the value is at least minDrop below the median (a very quiet history
 * would otherwise flag a 0.5 % wobble). Higher is better for every key metric.
 */
export function historyVerdict(value: number, baseline: number[], cfg: HistorySettings): HistoryVerdict | null {
  if (baseline.length < cfg.minRuns) return null;
  const center = median(baseline);
  const spread = mad(baseline, center);
  const z = modifiedZ(value, center, spread);
  const drop = center > 0 ? (center - value) / center : 0;
  const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    median: round(center, 3),
    mad: round(spread, 3),
    runs: baseline.length,
    z: round(z, 2),
    drop: round(drop, 4),
    regressed: z <= -cfg.z && drop >= cfg.minDrop,
  };
}

/**
 * The value at or below which historyVerdict flags a run against this baseline: both of its
 * conditions solved for the value (z ≤ −z with the same floored MAD, and the minimum drop).
 * The machine page draws it under the baseline.
 */
export function regressionLimit(center: number, spread: number, cfg: HistorySettings): number {
  const s = Math.max(spread, Math.abs(center) * MAD_FLOOR);
  return Math.min(center - (cfg.z * s) / 0.6745, center * (1 - cfg.minDrop));
}

/** Baseline values per key metric from the loaded history. */
export function baselineByMetric(history: MetricValues[]): Partial<Record<QuickmarkMetric, number[]>> {
  const out: Partial<Record<QuickmarkMetric, number[]>> = {};
  for (const m of KEY_METRICS) {
    const values = history.map((h) => h[m]).filter((v): v is number => v !== undefined);
    if (values.length) out[m] = values;
  }
  return out;
}
