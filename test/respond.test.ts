// lib/api/respond.ts: every JSON answer's encoding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { json } from "../lib/api/respond";

test("json() writes a BigInt anywhere in the body as a string, and plain bodies unchanged", async () => {
  const res = json({ id: 12345678901234567890n, nested: [{ n: 1n }], name: "x" });
  assert.equal(await res.text(), '{"id":"12345678901234567890","nested":[{"n":"1"}],"name":"x"}');
  assert.equal(await json({ a: [1, "b", null] }).text(), '{"a":[1,"b",null]}');
});

test("json() marks bodies under 1 KB no-transform (never gzipped) and larger ones not", () => {
  assert.equal(json({ a: 1 }).headers.get("cache-control"), "no-store, no-transform");
  assert.equal(json({ a: "x".repeat(2000) }).headers.get("cache-control"), "no-store");
});

test("json() still refuses a body that is not JSON (a cycle) rather than sending half of it", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => json(cyclic), TypeError);
});
