// lib/api/json-bytes.ts writes an answer's JSON in pieces when it holds a long array: the bytes
// must be exactly JSON.stringify's for every shape an answer can take, BigInt aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PIECEWISE_MIN_ITEMS, toJsonBytes } from "../lib/api/json-bytes";
import { json } from "../lib/api/respond";
import { JsonText } from "../lib/util/json-text";

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

test("a document read as text (JsonText) is written as that text, at any depth; elsewhere it stands for its value", () => {
  const doc = new JsonText('{"tflops": 989.5, "gpus": [1, 2.50, "x\\"y"]}');
  const body = { id: "7", results: { quick_mark: { results: doc, config: null } }, items: [doc, new JsonText("null")] };
  assert.equal(
    toJsonBytes(body).toString(),
    '{"id":"7","results":{"quick_mark":{"results":{"tflops": 989.5, "gpus": [1, 2.50, "x\\"y"]},"config":null}},' +
      '"items":[{"tflops": 989.5, "gpus": [1, 2.50, "x\\"y"]},null]}',
  );
  // In a long array too, written piece by piece.
  const many = { results: Array.from({ length: PIECEWISE_MIN_ITEMS + 1 }, (_, i) => ({ i, doc })) };
  assert.deepEqual(JSON.parse(toJsonBytes(many).toString()), JSON.parse(JSON.stringify(many)));
  assert.match(toJsonBytes(many).toString(), /"doc":\{"tflops": 989\.5,/);
  // Any other writer gets the value, and a string that looks like the placeholder is only a string.
  assert.equal(JSON.stringify({ doc }), '{"doc":{"tflops":989.5,"gpus":[1,2.5,"x\\"y"]}}');
  assert.equal(toJsonBytes({ s: '"\u2060json-text:0"' }).toString(), JSON.stringify({ s: '"\u2060json-text:0"' }));
});
