import vm from "node:vm";
import pg from "pg";

const TIMESTAMPTZ_OID = 1184;

/**
 * `new Date(ms)` past Next.js's wrapper. Under `next start` the global Date is Next.js's
 * (node_modules/next/dist/server/node-environment-extensions/date.js, installed in every
 * server to see prerenders read the clock), and each construction through it goes through
 * Reflect.construct with another constructor as new.target: 0.8 µs against 0.07 µs, about
 * 1 ms for a 300-job page's 1,200 timestamps (docs/performance-budget.md). A Date made by a
 * fresh realm's own constructor and given this realm's Date.prototype is the same object in
 * every respect — `instanceof Date`, util.types.isDate, toISOString, JSON, pg's and Prisma's
 * parameter checks — and costs 0.12 µs. Outside Next.js (tests, scripts) it is the same Date.
 */
const RealmDate = vm.runInNewContext("Date") as DateConstructor;
const DATE_PROTOTYPE = Date.prototype;
export const dateFromMs = (ms: number): Date => Object.setPrototypeOf(new RealmDate(ms), DATE_PROTOTYPE);
const fallback = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (value: string) => Date;

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * A timestamptz in PostgreSQL's ISO output (`2026-11-30 14:00:00.123+00`, `…+05:30`) read by
 * position. pg's own parser (postgres-date) runs three regular expressions and Date.UTC per
 * value: a page of 300 jobs holds 1,200 of them, 1.1–1.5 ms of CPU that way and 0.17–0.2 ms
 * this way (docs/performance-budget.md). Anything else — another DateStyle, BC, a year before 1000,
 * infinity, an offset with seconds — goes to pg's parser, so the result is always the same.
 */
export function parseTimestamptz(s: string): Date {
  const n = s.length;
  if (n < 22 || s[4] !== "-" || s[7] !== "-" || s[10] !== " " || s[13] !== ":" || s[16] !== ":") return fallback(s);
  let i = 19;
  let ms = 0;
  if (s[i] === ".") {
    let scale = 100;
    for (i++; i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
      ms += digit(s, i) * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  const sign = s[i] === "+" ? 1 : s[i] === "-" ? -1 : 0;
  // ±HH or ±HH:MM, and nothing after it
  if (!sign || (n !== i + 3 && (n !== i + 6 || s[i + 3] !== ":"))) return fallback(s);
  const year = two(s, 0) * 100 + two(s, 2);
  if (year < 1000) return fallback(s);
  const offsetMinutes = sign * (two(s, i + 1) * 60 + (n === i + 6 ? two(s, i + 4) : 0));
  const month = two(s, 5);
  const day = two(s, 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return fallback(s);
  const seconds = ((daysFromCivil(year, month, day) * 24 + two(s, 11)) * 60 + two(s, 14) - offsetMinutes) * 60;
  return dateFromMs((seconds + two(s, 17)) * 1000 + ms);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): cheaper than Date.UTC's argument handling. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** pg's type parsers, timestamptz read by parseTimestamptz: for the statements of directQuery. */
export const directQueryTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ_OID && format !== "binary"
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};
