// Query strings are parsed once and the parsed query kept (lib/api/parse.ts): the same string
// must give the same answer every time, a refused one must be refused every time, the options
// (aliases, repeated keys) must not leak between callers, and a kept query can't be changed
// by the request that got it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuery } from "../lib/api/parse";
import { ValidationError } from "../lib/api/errors";
import { listJobsQuerySchema, LIST_QUERY_OPTIONS } from "../lib/jobs/schemas";

const url = (search: string) => new URL(`http://local/api/silicon-mark/v1/jobs?${search}`);

test("the same query string gives the same query, and each string its own", () => {
  const first = parseQuery(listJobsQuerySchema, url("state=running&tags=a&tags=b&per_page=7"), LIST_QUERY_OPTIONS);
  const again = parseQuery(listJobsQuerySchema, url("state=running&tags=a&tags=b&per_page=7"), LIST_QUERY_OPTIONS);
  assert.deepEqual(again, first);
  assert.equal(first.state, "running");
  assert.deepEqual(first.tags, ["a", "b"]);
  assert.equal(first.per_page, 7);
  const other = parseQuery(listJobsQuerySchema, url("state=failed&tags=a&per_page=7"), LIST_QUERY_OPTIONS);
  assert.equal(other.state, "failed");
  assert.deepEqual(other.tags, ["a"]);
  const dated = parseQuery(listJobsQuerySchema, url("created_after=2026-11-01"), LIST_QUERY_OPTIONS);
  assert.equal(dated.created_after?.toISOString(), "2026-11-01T00:00:00.000Z");
});

test("a kept query can't be changed by a request that got it", () => {
  const q = parseQuery(listJobsQuerySchema, url("tags=gpu&include=performance"), LIST_QUERY_OPTIONS);
  assert.throws(() => {
    (q as { page: number }).page = 99;
  }, TypeError);
  assert.throws(() => (q.tags as string[]).push("prod"), TypeError);
  assert.throws(() => (q.include as string[]).push("performance_nodes"), TypeError);
  const again = parseQuery(listJobsQuerySchema, url("tags=gpu&include=performance"), LIST_QUERY_OPTIONS);
  assert.equal(again.page, 1);
  assert.deepEqual(again.tags, ["gpu"]);
  assert.deepEqual(again.include, ["performance"]);
});

test("a refused query is refused every time", () => {
  for (const bad of ["node_count_min=8&node_count_max=2", "per_page=0", "nonsense=1"]) {
    for (let i = 0; i < 2; i++) {
      assert.throws(() => parseQuery(listJobsQuerySchema, url(bad), LIST_QUERY_OPTIONS), ValidationError, bad);
    }
  }
});

test("the options are part of what is kept: an alias one caller accepts is unknown to another", () => {
  const aliased = parseQuery(listJobsQuerySchema, url("tag=gpu"), LIST_QUERY_OPTIONS);
  assert.deepEqual(aliased.tags, ["gpu"]);
  assert.throws(() => parseQuery(listJobsQuerySchema, url("tag=gpu")), /Unknown query parameter: tag/);
  // And repeated keys: with the list's options they make a list; without them the schema sees
  // one string where it wants a list, and refuses it.
  assert.deepEqual(parseQuery(listJobsQuerySchema, url("tags=a&tags=b"), LIST_QUERY_OPTIONS).tags, ["a", "b"]);
  assert.throws(() => parseQuery(listJobsQuerySchema, url("tags=a&tags=b")), /tags: .*expected array/);
});

test("what is kept is bounded: many distinct queries later, the first is parsed again and still right", () => {
  const first = parseQuery(listJobsQuerySchema, url("name=bounded-0"), LIST_QUERY_OPTIONS);
  for (let i = 1; i <= 1000; i++) parseQuery(listJobsQuerySchema, url(`name=bounded-${i}`), LIST_QUERY_OPTIONS);
  const later = parseQuery(listJobsQuerySchema, url("name=bounded-0"), LIST_QUERY_OPTIONS);
  assert.notEqual(later, first, "parsed again, not kept past the bound");
  assert.deepEqual(later, first);
  // Ten tags of fifty "é" each: within the limits, and 3,000 characters escaped.
  const long = Array.from({ length: 10 }, (_, i) => `tags=${i}${"%C3%A9".repeat(49)}`).join("&");
  assert.notEqual(
    parseQuery(listJobsQuerySchema, url(long), LIST_QUERY_OPTIONS),
    parseQuery(listJobsQuerySchema, url(long), LIST_QUERY_OPTIONS),
    "an overlong query string is not kept",
  );
});
