import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FILTERS, jobFiltersToApiQuery, jobFiltersToSearch, parseJobFilters } from "../lib/client/job-filters";
import { listJobsQuerySchema } from "../lib/jobs/schemas";

test("URL → filters → URL round-trips and leaves defaults out", () => {
  const search =
    "state=running&name=h100&tags=prod&tags=gpu&benchmark_id=quick_mark&created_after=2026-11-01&created_before=2026-11-20&node_count_min=2&node_count_max=8&has_performance_data=true&sort_by=name&sort_order=asc&page=3&per_page=50";
  const f = parseJobFilters(new URLSearchParams(search));
  assert.deepEqual(f.tags, ["prod", "gpu"]);
  assert.equal(jobFiltersToSearch(f), search);
  assert.equal(jobFiltersToSearch(parseJobFilters(new URLSearchParams(""))), "");
});

test("junk in a hand-edited URL falls back to defaults", () => {
  const f = parseJobFilters(
    new URLSearchParams("state=nope&sort_by=drop&page=-1&per_page=x&node_count_min=abc&created_after=yesterday"),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(f)), DEFAULT_FILTERS);
});

test("the API query is valid for GET /jobs, and created_before includes the whole day", () => {
  const f = parseJobFilters(new URLSearchParams("tags=a&created_before=2026-11-20&has_performance_data=false"));
  const q = jobFiltersToApiQuery(f);
  assert.equal(q.created_before, "2026-11-21");
  const parsed = listJobsQuerySchema.parse({
    ...q,
    tags: q.tags,
    include: [q.include],
    has_performance_data: String(q.has_performance_data),
    include_results: "true",
    page: "1",
    per_page: "20",
    created_before: q.created_before,
  });
  assert.deepEqual(parsed.tags, ["a"]);
  assert.deepEqual(parsed.include, ["performance"]);
});

test("the typed list query the page's server render uses is the query GET /jobs parses from the same filters", async () => {
  const { apiUrl } = await import("../lib/client/api-fetch");
  const { parseQuery } = await import("../lib/api/parse");
  const { LIST_QUERY_OPTIONS } = await import("../lib/jobs/schemas");
  const { listQueryForFilters } = await import("../lib/jobs/page-query");
  for (const search of [
    "",
    "state=running&name=h100&tags=prod&tags=gpu&benchmark_id=quick_mark&created_after=2026-11-01&created_before=2026-11-20&node_count_min=2&node_count_max=8&has_performance_data=true&sort_by=name&sort_order=asc&page=3&per_page=50",
  ]) {
    const f = parseJobFilters(new URLSearchParams(search));
    const viaUrl = parseQuery(
      listJobsQuerySchema,
      new URL(apiUrl("/jobs", jobFiltersToApiQuery(f)), "http://local"),
      LIST_QUERY_OPTIONS,
    );
    const typed = JSON.parse(JSON.stringify(listQueryForFilters(f)));
    assert.deepEqual(typed, JSON.parse(JSON.stringify(viaUrl)), search);
  }
  // Filters the API refuses give no server-rendered page: the client shows the API's message.
  for (const bad of [
    "node_count_min=8&node_count_max=2",
    "node_count_min=999",
    "per_page=301",
    "page=100001",
    `name=${"x".repeat(61)}`,
    "tags=a<b",
  ]) {
    assert.equal(listQueryForFilters(parseJobFilters(new URLSearchParams(bad))), null, bad);
    assert.throws(
      () => parseQuery(listJobsQuerySchema, new URL(`http://local/jobs?${bad}`), LIST_QUERY_OPTIONS),
      /./,
      bad,
    );
  }
});
