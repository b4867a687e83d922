// The API's timestamps (lib/util/iso-time.ts) are what Date.prototype.toISOString writes, for
// every instant: leap days and centuries, the epoch's edges, every millisecond value, and the
// years it hands back to toISOString.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isoTime } from "../lib/util/iso-time";

test("every instant is written as toISOString writes it", () => {
  const instants = [
    0,
    -1,
    1,
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    Date.UTC(1900, 2, 1),
    Date.UTC(2100, 1, 28, 12),
    Date.UTC(2024, 11, 31, 23, 59, 59, 999),
    Date.UTC(1000, 0, 1),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(1969, 11, 31, 23, 59, 59, 999),
  ];
  // A random walk over a thousand years, and every millisecond of one second.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 20000; i++) instants.push(Math.floor(Date.UTC(1500, 0, 1) + next() * 1000 * 365.25 * 86_400_000));
  for (let ms = 0; ms < 1000; ms++) instants.push(Date.UTC(2026, 10, 30, 14, 0, 0, ms));
  for (const ms of instants) assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString(), String(ms));
});

test("years toISOString writes with six digits or a sign, and invalid dates, are toISOString's", () => {
  for (const ms of [Date.UTC(999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-50, 0, 1), 8.64e15]) {
    assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString(), String(ms));
  }
  assert.throws(() => isoTime(new Date(NaN)), RangeError);
});
