/**
 * A time as the API writes it — ISO 8601 in UTC with milliseconds, `2026-11-30T14:00:00.123Z`,
 * exactly what Date.prototype.toISOString gives — worked out from the epoch milliseconds.
 * toISOString took 0.4 µs a call, about 0.5 ms of a 300-job page's 1,200 timestamps, this a
 * third of that (docs/performance-budget.md, "Read path"). Years outside 1000–9999, and
 * invalid dates, go to toISOString, so the answer (or its RangeError) is always the same.
 */
export function isoTime(d: Date): string {
  const ms = d.getTime();
  // 1000-01-01 and 10000-01-01 in epoch milliseconds.
  if (!(ms >= -30610224000000 && ms < 253402300800000)) return d.toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  // Days to a proleptic Gregorian date: H. Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(millis)}Z`;
}

/** isoTime for a time that may be missing: null stays null (the API writes `null`). */
export const isoTimeOrNull = (d: Date | null | undefined): string | null => (d ? isoTime(d) : null);

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
