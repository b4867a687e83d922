/** Robust location and spread: one slow run or one outlier node does not move them. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation around the median (unscaled). */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Linear-interpolated quantile (what PostgreSQL's percentile_cont computes). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Iglewicz–Hoaglin modified z-score: 0.6745 · (x − median) / MAD. A MAD of zero (identical
 * runs) is floored at a small fraction of the median so a perfectly stable history does not
 * turn every rounding difference into an infinite score.
 */
export function modifiedZ(value: number, center: number, spread: number): number {
  const floor = Math.abs(center) * 0.001;
  const s = Math.max(spread, floor);
  return s > 0 ? (0.6745 * (value - center)) / s : 0;
}
