import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";

let teardown: () => Promise<void>;
let alice: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  alice = await signedInUser("user", "Acme");
});
after(() => teardown());

const create = (body: unknown, token = alice.token) => api.post(`${V1}/jobs`, { token, body });

function assertError(res: { status: number; body: any; headers: Headers }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, "string");
  assert.equal(res.body.error.request_id, res.headers.get("x-request-id"));
}

describe("POST /jobs", () => {
  test("creates a job, adding quick_mark first and returning the documented fields", async () => {
    const res = await create({
      name: "GPU Benchmark Test",
      description: "Testing new cluster",
      benchmarks: [{ benchmark_id: "cluster_network", config: {} }],
      node_count: 4,
      tags: ["production", "gpu"],
    });
    assert.equal(res.status, 201, res.text);
    const job = res.body;
    assert.match(job.id, /^\d+$/);
    assert.equal(job.name, "GPU Benchmark Test");
    assert.equal(job.description, "Testing new cluster");
    assert.equal(job.node_count, 4);
    assert.deepEqual(job.benchmarks, ["quick_mark", "cluster_network"]);
    assert.deepEqual(job.tags, ["production", "gpu"]);
    assert.match(job.token, /^eyJ/);
    const created = Date.parse(job.created_at);
    assert.equal(Date.parse(job.expires_at) - created, 24 * 3600 * 1000);
    assert.match(job.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  });

  test("defaults: node_count 1, generated name, quick_mark only", async () => {
    const res = await create({ benchmarks: ["quick_mark"] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.node_count, 1);
    assert.ok(res.body.name.length > 0 && res.body.name.length <= 60);
    assert.deepEqual(res.body.benchmarks, ["quick_mark"]);
  });

  test("moves quick_mark to the front when listed later", async () => {
    const res = await create({ benchmarks: ["cluster_network", "quick_mark"], node_count: 2 });
    assert.deepEqual(res.body.benchmarks, ["quick_mark", "cluster_network"]);
  });

  test("unknown benchmark → 400 with the seed's message", async () => {
    const res = await create({ benchmarks: ["unknown_benchmark"] });
    assertError(res, 400, "PARAMETER_INCORRECT_VALUE");
    assert.equal(res.body.error.message, "Benchmark 'unknown_benchmark' not found");
  });

  test("duplicate benchmark id + config → 400; same id with another config is fine", async () => {
    assertError(
      await create({ benchmarks: ["cluster_network", { benchmark_id: "cluster_network", config: {} }] }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(
      await create({
        benchmarks: [
          { benchmark_id: "cluster_network", config: { iterations: 5 } },
          { benchmark_id: "cluster_network", config: { iterations: 5 } },
        ],
      }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    const ok = await create({
      benchmarks: [
        { benchmark_id: "cluster_network", config: { iterations: 5 } },
        { benchmark_id: "cluster_network", config: { iterations: 10 } },
      ],
      node_count: 2,
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.benchmark_sequence.length, 3);
  });

  test("config is validated against the benchmark's schema", async () => {
    const res = await create({ benchmarks: [{ benchmark_id: "quick_mark", config: { duration_seconds: "long" } }] });
    assertError(res, 400, "PARAMETER_INCORRECT_VALUE");
    assert.match(res.body.error.message, /quick_mark/);
  });

  test("duplicate name within the customer → 409; another customer may reuse it", async () => {
    assert.equal((await create({ name: "dup", benchmarks: ["quick_mark"] })).status, 201);
    const again = await create({ name: "dup", benchmarks: ["quick_mark"] });
    assertError(again, 409, "RESOURCE_ALREADY_EXISTS");
    assert.equal(again.body.error.message, "Job with name 'dup' already exists");
    const colleague = await signedInUser("user", "Acme");
    assertError(
      await create({ name: "dup", benchmarks: ["quick_mark"] }, colleague.token),
      409,
      "RESOURCE_ALREADY_EXISTS",
    );
    const other = await signedInUser("user", "Globex");
    assert.equal((await create({ name: "dup", benchmarks: ["quick_mark"] }, other.token)).status, 201);
  });

  test("limits: name, description, node_count, tags", async () => {
    const bad: unknown[] = [
      { benchmarks: ["quick_mark"], name: "x".repeat(61) },
      { benchmarks: ["quick_mark"], description: "x".repeat(513) },
      { benchmarks: ["quick_mark"], node_count: 0 },
      { benchmarks: ["quick_mark"], node_count: 257 },
      { benchmarks: ["quick_mark"], node_count: 1.5 },
      { benchmarks: ["quick_mark"], node_count: "4" },
      { benchmarks: ["quick_mark"], node_count: 1e300 },
      { benchmarks: ["quick_mark"], tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      { benchmarks: ["quick_mark"], tags: ["x".repeat(51)] },
      { benchmarks: ["quick_mark"], tags: ["<script>"] },
      { benchmarks: ["quick_mark"], tags: ["a;b"] },
      { benchmarks: ["quick_mark"], tags: [""] },
      { benchmarks: ["quick_mark"], tags: "prod" },
      { benchmarks: [] },
      { benchmarks: "quick_mark" },
      { name: "no benchmarks" },
      [],
      null,
    ];
    for (const body of bad) assertError(await create(body), 400, "PARAMETER_INCORRECT_VALUE");
    const edge = await create({
      benchmarks: ["quick_mark"],
      name: "n".repeat(60),
      node_count: 256,
      tags: Array.from({ length: 10 }, (_, i) => `${"t".repeat(48)}${i}`),
    });
    assert.equal(edge.status, 201, edge.text);
  });

  test("malformed JSON → 400, not 500", async () => {
    assertError(
      await api.post(`${V1}/jobs`, {
        token: alice.token,
        rawBody: "{not json",
        headers: { "content-type": "application/json" },
      }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(await api.post(`${V1}/jobs`, { token: alice.token, rawBody: "" }), 400, "PARAMETER_INCORRECT_VALUE");
  });

  test("no or bad token → 401 CLIENT_TOKEN_INVALID", async () => {
    assertError(await api.post(`${V1}/jobs`, { body: { benchmarks: ["quick_mark"] } }), 401, "CLIENT_TOKEN_INVALID");
    assertError(await api.get(`${V1}/jobs`, { token: "garbage" }), 401, "CLIENT_TOKEN_INVALID");
    const job = await create({ benchmarks: ["quick_mark"] });
    // A job token is for agents only.
    assertError(await api.get(`${V1}/jobs`, { token: job.body.token }), 401, "CLIENT_TOKEN_INVALID");
  });
});

describe("GET /jobs", () => {
  let user: SignedInUser;
  const ids: Record<string, string> = {};
  before(async () => {
    user = await signedInUser("user", "ListCo");
    const specs = [
      { name: "alpha run", tags: ["prod", "h100"], node_count: 1, benchmarks: ["quick_mark"] },
      { name: "beta run", tags: ["prod"], node_count: 4, benchmarks: ["quick_mark", "cluster_network"] },
      { name: "gamma", tags: ["dev", "h100"], node_count: 8, benchmarks: ["cluster_network"] },
      { name: "delta", tags: [], node_count: 2, benchmarks: ["quick_mark"] },
    ];
    for (const s of specs) {
      const r = await create(s, user.token);
      assert.equal(r.status, 201, r.text);
      ids[s.name] = r.body.id;
      await new Promise((r) => setTimeout(r, 5)); // distinct created_at
    }
  });
  const list = (qs: string) => api.get(`${V1}/jobs${qs}`, { token: user.token });
  const names = (res: any) => res.body.results.map((j: any) => j.name);

  test("returns documented item fields and pagination, newest first", async () => {
    const res = await list("");
    assert.equal(res.status, 200);
    assert.deepEqual(names(res), ["delta", "gamma", "beta run", "alpha run"]);
    const item = res.body.results.find((j: any) => j.name === "beta run");
    for (const k of [
      "id",
      "name",
      "token",
      "description",
      "state",
      "node_count",
      "current_nodes",
      "benchmark_sequence",
      "tags",
      "created_at",
      "started_at",
      "expires_at",
      "ended_at",
      "gpu_models",
      "quickmark_aggregate_results",
      "performance",
      "performance_nodes",
      "benchmarks",
    ]) {
      assert.ok(k in item, `missing ${k}`);
    }
    assert.equal(item.state, "created");
    assert.equal(item.current_nodes, 0);
    assert.deepEqual(item.benchmark_sequence, [
      { benchmark_id: "quick_mark", config: null },
      { benchmark_id: "cluster_network", config: null },
    ]);
    assert.equal(item.gpu_models, null);
    assert.deepEqual(res.body.pagination, {
      total: 4,
      page: 1,
      per_page: 20,
      total_pages: 1,
      has_next: false,
      has_prev: false,
    });
  });

  test("paginates", async () => {
    const p2 = await list("?per_page=3&page=2");
    assert.deepEqual(names(p2), ["alpha run"]);
    assert.deepEqual(p2.body.pagination, {
      total: 4,
      page: 2,
      per_page: 3,
      total_pages: 2,
      has_next: false,
      has_prev: true,
    });
    const p1 = await list("?per_page=3");
    assert.equal(p1.body.pagination.has_next, true);
  });

  test("filters: state, name, benchmark_id, tags (all must match), node counts, dates", async () => {
    assert.deepEqual(names(await list("?name=RUN")), ["beta run", "alpha run"]);
    assert.deepEqual(names(await list("?benchmark_id=cluster_network")), ["gamma", "beta run"]);
    assert.deepEqual(names(await list("?tags=prod")), ["beta run", "alpha run"]);
    assert.deepEqual(names(await list("?tags=prod&tags=h100")), ["alpha run"]);
    assert.deepEqual(names(await list("?tags=nope")), []);
    assert.deepEqual(names(await list("?node_count_min=2&node_count_max=4")), ["delta", "beta run"]);
    assert.deepEqual(names(await list("?state=created")).length, 4);
    assert.deepEqual(names(await list("?state=running")), []);
    const all = (await list("?sort_order=asc")).body.results;
    const betaCreated = all.find((j: any) => j.name === "beta run").created_at;
    const after = await list(`?created_after=${encodeURIComponent(all[1].created_at)}`);
    assert.ok(!names(after).includes("alpha run"));
    assert.ok(names(await list(`?created_before=2000-01-01`)).length === 0);
    assert.ok(betaCreated);
    assert.deepEqual(names(await list("?has_performance_data=true")), []);
    assert.equal(names(await list("?has_performance_data=false")).length, 4);
  });

  test("sorts by each documented field", async () => {
    assert.deepEqual(names(await list("?sort_by=name&sort_order=asc")), ["alpha run", "beta run", "delta", "gamma"]);
    assert.deepEqual(names(await list("?sort_by=node_count&sort_order=desc")), [
      "gamma",
      "beta run",
      "delta",
      "alpha run",
    ]);
    for (const f of ["created_at", "started_at", "ended_at", "expires_at", "state", "current_nodes"]) {
      assert.equal((await list(`?sort_by=${f}`)).status, 200, f);
    }
  });

  test("expansions: include_results and include=performance[,performance_nodes]", async () => {
    const r = await list("?include_results=true&include=performance,performance_nodes");
    assert.equal(r.status, 200, r.text);
    const j = r.body.results[0];
    assert.deepEqual(j.gpu_models, []);
    assert.equal(j.performance.status, "unknown");
    assert.deepEqual(j.performance_nodes, []);
    const repeated = await list("?include=performance&include=performance_nodes");
    assert.equal(repeated.status, 200);
  });

  test("bad parameters → 400, never 500", async () => {
    const bad = [
      "?per_page=0",
      "?per_page=301",
      "?page=0",
      "?page=abc",
      "?page=99999999999999999999",
      "?sort_by=password_hash",
      "?sort_order=up",
      "?state=done",
      "?created_after=yesterday",
      "?created_before=2024-13-45",
      "?node_count_min=0",
      "?node_count_max=257",
      "?node_count_min=5&node_count_max=2",
      "?include_results=maybe",
      "?include=performance_nodes",
      "?include=everything",
      "?has_performance_data=yes",
      `?name=${"x".repeat(61)}`,
      `?tags=${Array.from({ length: 11 }, (_, i) => `t${i}`).join("&tags=")}`,
    ];
    for (const qs of bad) assertError(await list(qs), 400, "PARAMETER_INCORRECT_VALUE");
  });
});

describe("tags, stats, detail, results", () => {
  test("GET /jobs/tags lists unique tags of visible jobs", async () => {
    const u = await signedInUser("user", "TagCo");
    await create({ benchmarks: ["quick_mark"], tags: ["b", "a"] }, u.token);
    await create({ benchmarks: ["quick_mark"], tags: ["a", "provider: aws"] }, u.token);
    const res = await api.get(`${V1}/jobs/tags`, { token: u.token });
    assert.deepEqual(res.body, { tags: ["a", "b", "provider: aws"] });
  });

  test("GET /jobs/stats returns alert_job_count and validates its filters", async () => {
    const res = await api.get(`${V1}/jobs/stats?tags=prod&state=completed`, { token: alice.token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { alert_job_count: 0, regressed_job_count: 0 });
    assertError(
      await api.get(`${V1}/jobs/stats?benchmark_id=cluster_network`, { token: alice.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(
      await api.get(`${V1}/jobs/stats?sort_by=secret`, { token: alice.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
  });

  test("GET /jobs/{id} returns the job with tasks and results", async () => {
    const job = (await create({ benchmarks: ["quick_mark"], name: "detail me" })).body;
    const res = await api.get(`${V1}/jobs/${job.id}`, { token: alice.token });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, job.id);
    assert.deepEqual(res.body.tasks, []);
    assert.deepEqual(res.body.benchmark_results, {});
    assert.ok("pdf_report_url" in res.body && "scoreboard_summary" in res.body);
    assert.deepEqual(res.body.benchmarks, ["quick_mark"]);
  });

  test("missing or malformed job ids", async () => {
    const nf = await api.get(`${V1}/jobs/123`, { token: alice.token });
    assertError(nf, 404, "RESOURCE_NOT_FOUND");
    assert.equal(nf.body.error.message, "Job with id 123 not found");
    assertError(await api.get(`${V1}/jobs/abc`, { token: alice.token }), 400, "PARAMETER_INCORRECT_VALUE");
    assertError(
      await api.get(`${V1}/jobs/99999999999999999999999`, { token: alice.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(await api.get(`${V1}/jobs/123/results`, { token: alice.token }), 404, "RESOURCE_NOT_FOUND");
  });

  test("GET /jobs/{id}/results is a map keyed by benchmark id (empty before agents report)", async () => {
    const job = (await create({ benchmarks: ["quick_mark"] })).body;
    const res = await api.get(`${V1}/jobs/${job.id}/results?include_display_names=true`, { token: alice.token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    assertError(
      await api.get(`${V1}/jobs/${job.id}/results?include_display_names=perhaps`, { token: alice.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
  });
});

describe("PATCH /jobs/{id}", () => {
  test("updates name, description and tags with the same limits", async () => {
    const job = (await create({ benchmarks: ["quick_mark"], name: "to edit" })).body;
    const res = await api.patch(`${V1}/jobs/${job.id}`, {
      token: alice.token,
      body: { tags: ["x", "y"], description: "d", name: "edited" },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.tags, ["x", "y"]);
    assert.equal(res.body.name, "edited");
    assert.equal(res.body.description, "d");
    assertError(
      await api.patch(`${V1}/jobs/${job.id}`, { token: alice.token, body: { tags: ["bad`tag"] } }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(
      await api.patch(`${V1}/jobs/${job.id}`, { token: alice.token, body: {} }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(
      await api.patch(`${V1}/jobs/${job.id}`, { token: alice.token, body: { state: "completed" } }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    await create({ benchmarks: ["quick_mark"], name: "taken" });
    assertError(
      await api.patch(`${V1}/jobs/${job.id}`, { token: alice.token, body: { name: "taken" } }),
      409,
      "RESOURCE_ALREADY_EXISTS",
    );
    const after = await api.get(`${V1}/jobs/${job.id}`, { token: alice.token });
    assert.equal(after.body.name, "edited");
    assert.deepEqual(after.body.tags, ["x", "y"]);
  });
});

describe("DELETE /jobs/delete", () => {
  test("soft-deletes: gone from reads, name reusable", async () => {
    const job = (await create({ benchmarks: ["quick_mark"], name: "doomed", tags: ["doomed-tag"] })).body;
    const res = await api.delete(`${V1}/jobs/delete`, { token: alice.token, body: { id: Number(job.id) } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { message: "Job deleted successfully", requires_agent_stop: false });
    assertError(await api.get(`${V1}/jobs/${job.id}`, { token: alice.token }), 404, "RESOURCE_NOT_FOUND");
    assert.ok(!(await api.get(`${V1}/jobs/tags`, { token: alice.token })).body.tags.includes("doomed-tag"));
    assertError(
      await api.delete(`${V1}/jobs/delete`, { token: alice.token, body: { id: job.id } }),
      404,
      "RESOURCE_NOT_FOUND",
    );
    assert.equal((await create({ benchmarks: ["quick_mark"], name: "doomed" })).status, 201);
  });

  test("running job → 400; bad ids → 400; unknown → 404", async () => {
    const job = (await create({ benchmarks: ["quick_mark"] })).body;
    const { getDb } = await import("../lib/db/client");
    await (await getDb()).job.update({ where: { id: BigInt(job.id) }, data: { state: "running" } });
    assertError(
      await api.delete(`${V1}/jobs/delete`, { token: alice.token, body: { id: job.id } }),
      400,
      "INVALID_JOB_STATE",
    );
    assert.equal((await api.get(`${V1}/jobs/${job.id}`, { token: alice.token })).status, 200);
    for (const body of [{ id: 0 }, { id: -1 }, { id: "abc" }, {}, { id: 1.5 }]) {
      assertError(
        await api.delete(`${V1}/jobs/delete`, { token: alice.token, body }),
        400,
        "PARAMETER_INCORRECT_VALUE",
      );
    }
    assertError(
      await api.delete(`${V1}/jobs/delete`, { token: alice.token, body: { id: 42 } }),
      404,
      "RESOURCE_NOT_FOUND",
    );
  });
});
