/**
 * RFC 4180 CSV cells, guarded against spreadsheet formula injection: text starting with
 * = + - @ (or tab / carriage return) would run as a formula in Excel or Sheets, so it gets a
 * leading apostrophe (OWASP's advice). Numbers are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}
