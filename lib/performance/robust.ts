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

/** The smallest MAD modifiedZ uses, as a fraction of the median. */
export const MAD_FLOOR = 0.001;

/**
 * Iglewicz–Hoaglin modified z-score: 0.6745 · (x − median) / MAD. A MAD of zero (identical
 * runs) is floored at a small fraction of the median so a perfectly stable history does not
 * turn every rounding difference into an infinite score.
 */
export function modifiedZ(value: number, center: number, spread: number): number {
  const floor = Math.abs(center) * MAD_FLOOR;
  const s = Math.max(spread, floor);
  return s > 0 ? (0.6745 * (value - center)) / s : 0;
}

/** MAD × this estimates σ for normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;
/** Run-to-run noise is this many σ of a GPU model's fleet band either side of its median. */
export const NOISE_SIGMAS = 3;

/**
 * The fleet band's noise: σ from its MAD, and median ± NOISE_SIGMAS σ. Compare calls a
 * difference beyond half its width real; the machine page shades it. Null without a spread.
 */
export function noiseBand(center: number, spread: number): { sigma: number; low: number; high: number } | null {
  if (!(spread > 0)) return null;
  const sigma = MAD_TO_SIGMA * spread;
  return { sigma, low: center - NOISE_SIGMAS * sigma, high: center + NOISE_SIGMAS * sigma };
}
