/**
 * Heatmap colour of a ratio to a median: green at 1, red once it is `span` below (0.1 for
 * GPU figures near the 0.9 threshold, 0.5 for network links).
 */
export function ratioShade(ratio: number | null | undefined, span: number): string | undefined {
  if (ratio == null) return undefined;
  const t = Math.max(0, Math.min(1, (1 - ratio) / span));
  return `hsl(${Math.round(130 - 130 * t)} 65% ${Math.round(87 - 17 * t)}%)`;
}
