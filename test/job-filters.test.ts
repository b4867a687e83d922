import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FILTERS, jobFiltersToApiQuery, jobFiltersToSearch, parseJobFilters } from "../lib/client/job-filters";
import { listJobsQuerySchema } from "../lib/jobs/schemas";

test("URL → filters → URL round-trips and leaves defaults out", () => {
  const search = "state=running&name=h100&tags=prod&tags=gpu&benchmark_id=quick_mark&created_after=2026-11-01&created_before=2026-11-20&node_count_min=2&node_count_max=8&has_performance_data=true&sort_by=name&sort_order=asc&page=3&per_page=50";
  const f = parseJobFilters(new URLSearchParams(search));
  assert.deepEqual(f.tags, ["prod", "gpu"]);
  assert.equal(jobFiltersToSearch(f), search);
  assert.equal(jobFiltersToSearch(parseJobFilters(new URLSearchParams(""))), "");
});

test("junk in a hand-edited URL falls back to defaults", () => {
  const f = parseJobFilters(new URLSearchParams("state=nope&sort_by=drop&page=-1&per_page=x&node_count_min=abc&created_after=yesterday"));
  assert.deepEqual(JSON.parse(JSON.stringify(f)), DEFAULT_FILTERS);
});

test("the API query is valid for GET /jobs, and created_before includes the whole day", () => {
  const f = parseJobFilters(new URLSearchParams("tags=a&created_before=2026-11-20&has_performance_data=false"));
  const q = jobFiltersToApiQuery(f);
  assert.equal(q.created_before, "2026-11-21");
  const parsed = listJobsQuerySchema.parse({ ...q, tags: q.tags, include: [q.include], has_performance_data: String(q.has_performance_data), include_results: "true", page: "1", per_page: "20", created_before: q.created_before });
  assert.deepEqual(parsed.tags, ["a"]);
  assert.deepEqual(parsed.include, ["performance"]);
});
