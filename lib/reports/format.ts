/** How figures are printed in reports: two decimals for fractions, integers as they are. */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function formatRatio(ratio: number | null | undefined): string {
  return ratio == null ? "-" : `${(ratio * 100).toFixed(1)}%`;
}

export function formatDate(d: Date | null | undefined): string {
  return d
    ? d
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, " UTC")
    : "-";
}

export function withUnit(value: string, unit: string | null | undefined): string {
  return unit ? `${value} ${unit}` : value;
}
