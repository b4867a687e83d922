// The timestamptz reader of the hand-written statements (lib/db/timestamptz.ts) must give the
// same Date as pg's own parser for every value PostgreSQL can send, and hand the rest to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { types } from "node:util";
import pg from "pg";
// The global Date as `next start` has it (Next.js's wrapper), before the reader is loaded.
import "next/dist/server/node-environment-extensions/date.js";
import { dateFromMs, parseTimestamptz } from "../lib/db/timestamptz";

const pgParse = pg.types.getTypeParser(1184, "text") as (s: string) => Date | number;

test("the same instant as pg's parser, for offsets, fractions and the values it hands over", () => {
  const values = [
    "2026-11-30 14:00:00+00",
    "2026-11-30 14:00:00.1+00",
    "2026-11-30 14:00:00.12+00",
    "2026-11-30 14:00:00.123+00",
    "2026-11-30 14:00:00.123456+00",
    "2026-11-30 14:00:00.999999+00",
    "2026-02-28 23:59:59.5-03",
    "2024-02-29 00:00:00+05:30",
    "1999-12-31 23:30:00.001-09:30",
    "2026-11-30 00:00:00+14",
    "1970-01-01 00:00:00+00",
    "1969-12-31 23:59:59.999+00",
    "2000-02-29 12:00:00+00",
    "2100-03-01 00:00:00+00",
    "2400-02-29 00:00:00-12",
    // Handed to pg's parser: an offset with seconds, early years, BC, infinity, no offset.
    "1900-01-01 00:00:00+00:09:21",
    "0099-06-01 12:00:00+00",
    "0044-03-15 12:00:00+00 BC",
    "infinity",
    "-infinity",
    "2026-11-30 14:00:00",
  ];
  for (const v of values) {
    const expected = pgParse(v);
    const got = parseTimestamptz(v);
    if (typeof expected === "number") assert.equal(got, expected, v);
    else assert.equal((got as Date).getTime(), expected.getTime(), v);
  }
});

test("sixty years of instants, every offset an hour or half away, agree with pg's parser", () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  for (let k = 0; k < 5000; k++) {
    const t = new Date(Date.UTC(1995, 0, 1) + k * 401_234_567 + (k % 1000));
    const off = ((k % 57) - 28) * 30; // -14h..+14h in half hours
    const local = new Date(t.getTime() + off * 60_000);
    const sign = off < 0 ? "-" : "+";
    const abs = Math.abs(off);
    const v = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}${abs % 60 ? `:${pad(abs % 60)}` : ""}`;
    assert.equal(parseTimestamptz(v).getTime(), (pgParse(v) as Date).getTime(), v);
    assert.equal(parseTimestamptz(v).getTime(), t.getTime(), v);
  }
});

test("its Dates are this realm's Dates, as Next.js's wrapped constructor makes them", () => {
  assert.match(Function.prototype.toString.call(Date), /function Date1\(/, "Next.js's wrapper is the global Date here");
  const made = parseTimestamptz("2026-11-30 14:00:00.123+00");
  const wrapped = new Date(Date.UTC(2026, 10, 30, 14, 0, 0, 123));
  assert.ok(made instanceof Date);
  assert.ok(types.isDate(made));
  assert.equal(Object.getPrototypeOf(made), Date.prototype);
  assert.deepStrictEqual(made, wrapped);
  assert.equal(made.toISOString(), "2026-11-30T14:00:00.123Z");
  assert.equal(JSON.stringify({ made }), JSON.stringify({ made: wrapped }));
  assert.equal(Object.prototype.toString.call(dateFromMs(0)), "[object Date]");
  assert.equal(dateFromMs(Number.NaN).getTime(), new Date(Number.NaN).getTime());
});
