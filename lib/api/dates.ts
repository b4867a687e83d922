/**
 * The dates the API accepts: years 1970 to 9999 (README: "Limits"). Outside it a date is a
 * typo or an attack, and some (year 0) cannot even be written to PostgreSQL by the driver.
 */
export const MIN_DATE = new Date("1970-01-01T00:00:00.000Z");
export const MAX_DATE = new Date("9999-12-31T23:59:59.999Z");

export function inDateRange(d: Date): boolean {
  const t = d.getTime();
  return t >= MIN_DATE.getTime() && t <= MAX_DATE.getTime();
}

export const DATE_RANGE_MESSAGE = "must be between 1970-01-01 and 9999-12-31";
