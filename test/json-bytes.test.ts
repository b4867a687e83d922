// lib/api/json-bytes.ts writes an answer's JSON in pieces when it holds a long array: the bytes
// must be exactly JSON.stringify's for every shape an answer can take, BigInt aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PIECEWISE_MIN_ITEMS, toJsonBytes } from "../lib/api/json-bytes";
import { json } from "../lib/api/respond";

const many = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));

test("the same bytes as JSON.stringify, whole or in pieces", () => {
  const job = (i: number) => ({
    id: String(i),
    name: `job "${i}" — ünïcödé ✓`,
    created_at: new Date(Date.UTC(2026, 10, 30, 0, 0, i)),
    tags: ["a", "b"],
    gone: undefined,
    fn: () => 1,
    nested: { deep: [1, null, undefined, { x: i }] },
  });
  const sparse = many(PIECEWISE_MIN_ITEMS, (i) => i);
  delete sparse[7];
  const shapes: unknown[] = [
    { results: many(300, job), pagination: { total: 300, page: 1 } },
    { results: many(PIECEWISE_MIN_ITEMS - 1, job), pagination: null },
    { first: many(PIECEWISE_MIN_ITEMS, (i) => i), second: many(PIECEWISE_MIN_ITEMS + 5, (i) => `s${i}`) },
    { odd: many(PIECEWISE_MIN_ITEMS, (i) => [undefined, () => 0, Symbol("s"), NaN, Infinity, -0][i % 6]) },
    { sparse },
    { skipped: undefined, fn: () => 1, results: many(PIECEWISE_MIN_ITEMS, job), 'quo"te': 1 },
    { results: many(PIECEWISE_MIN_ITEMS, (i) => ({ toJSON: (key: string) => `item ${i} key "${key}"` })) },
    {
      results: Object.assign(
        many(PIECEWISE_MIN_ITEMS, (i) => i),
        { toJSON: () => "the array's own" },
      ),
    },
    { toJSON: () => ({ whole: many(PIECEWISE_MIN_ITEMS, (i) => i) }) },
    many(300, job), // a top-level array: written whole
    {},
    { only: undefined },
    "text",
    42,
    null,
  ];
  for (const shape of shapes) {
    assert.equal(toJsonBytes(shape).toString("utf8"), JSON.stringify(shape));
  }
});

test("a BigInt becomes a string, in a long array too", () => {
  const body = { results: many(PIECEWISE_MIN_ITEMS, (i) => ({ id: BigInt(i) * 10n ** 18n })), total: 5n };
  const expected = JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  assert.equal(toJsonBytes(body).toString("utf8"), expected);
  assert.match(expected, /"id":"99000000000000000000"/);
});

test("json() answers with those bytes, through the Response's own body as well", async () => {
  const body = { results: many(300, (i) => ({ id: String(i), name: `n${i}` })), pagination: { total: 300 } };
  const res = json(body, { status: 201 });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.deepEqual(await res.json(), body);
  const small = json({ ok: true });
  assert.equal(small.headers.get("cache-control"), "no-store, no-transform");
  assert.equal(await small.text(), '{"ok":true}');
});
