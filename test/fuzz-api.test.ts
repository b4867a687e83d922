import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { useFreshDatabase } from "./helpers/db";
import { api, routeRequest, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { apiRoutes } from "../lib/openapi/routes";
import type { ApiRouteDoc } from "../lib/openapi/registry";

// Property-based fuzzing of every route in the OpenAPI document (issue 10's proof): random
// path parameters, query strings and bodies, anonymous or with a root admin's bearer token or
// a job token. Whatever is sent: no 5xx, every error in the documented shape with
// X-Request-Id, and the server healthy afterwards. FUZZ_RUNS sets the number of requests
// (default sized for CI); FUZZ_SEED replays a failing run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let teardown: () => Promise<void>;
const creds: { root?: string; job?: string } = {};
const known: { jobId: string; taskId: string; resultId: string; machineId: string; userId: string } = {
  jobId: "1",
  taskId: "1",
  resultId: "1",
  machineId: "1",
  userId: "1",
};

before(async () => {
  ({ teardown } = await useFreshDatabase());
  // Coverage, not throttling: with limits on, most requests would be 429s.
  process.env.RATE_LIMIT_DISABLED = "1";
  const root = await signedInUser("root_admin", "Fuzz Root");
  creds.root = root.token;
  known.userId = String(root.id);
  const job = await api.post(`${V1}/jobs`, { token: root.token, body: { benchmarks: ["quick_mark"], node_count: 3 } });
  assert.equal(job.status, 201, job.text);
  creds.job = job.body.token;
  known.jobId = job.body.id;
  const task = await api.post(`${V1}/jobs/current/tasks`, {
    token: job.body.token,
    body: { machine_uuid: "fuzz-1", gpu_model: "NVIDIA H100", gpu_count: 8 },
  });
  known.taskId = task.body.id;
  const result = await api.post(`${V1}/jobs/current/tasks/${task.body.id}/results`, {
    token: job.body.token,
    body: { benchmark_id: "quick_mark", state: "completed", results: {} },
  });
  known.resultId = result.body.id;
});
after(async () => {
  delete process.env.RATE_LIMIT_DISABLED;
  await teardown();
});

/** The keys of an object schema (through pipes and refinements), to aim values at real fields. */
function keysOf(schema: unknown): string[] {
  const s = schema as
    { shape?: Record<string, unknown>; def?: { in?: unknown; schema?: unknown; innerType?: unknown } } | undefined;
  if (!s) return [];
  if (s.shape) return Object.keys(s.shape);
  return keysOf(s.def?.in ?? s.def?.schema ?? s.def?.innerType);
}

const NUL = "\u0000";
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}${NUL}${s}`),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "1",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "1e3",
    "0x10",
    "true",
    "null",
    "[]",
    "%00",
    "../..",
    "'; DROP TABLE jobs; --",
  ),
  fc.constantFrom(
    "0000-01-01",
    "1969-12-31",
    "9999-12-31T23:59:59Z",
    "10000-01-01",
    "2026-02-30",
    "2026-11-29T12:00:00+25:00",
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.integer({ min: 1_000, max: 5_000 }).map((n) => "x".repeat(n)),
);
const hugeString = fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => "x".repeat(n));

const idLike = (name: string) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constant(
        (
          {
            job_id: known.jobId,
            task_id: known.taskId,
            result_id: known.resultId,
            machine_id: known.machineId,
            user_id: known.userId,
          } as Record<string, string>
        )[name] ?? "1",
      ),
    },
    { weight: 4, arbitrary: hostileString },
  );

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(jsonValue, hostileString, fc.array(hostileString, { maxLength: 12 })) },
  // Numbers at the edges of the database's integer types.
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.constantFrom(2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, -1, 0, 1.5, 1e308),
    ),
  },
  { weight: 1, arbitrary: hugeString },
);

// A valid body per write endpoint: mutating one or two of its fields reaches the code behind
// validation, where random documents rarely get.
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  [`post ${V1}/token`]: { username: "nobody@fuzz.test", password: "wrong password" },
  [`post ${V1}/jobs`]: { benchmarks: ["quick_mark"], name: "fuzz", node_count: 1, tags: ["a"], description: "d" },
  [`patch ${V1}/jobs/{job_id}`]: { name: "renamed", tags: ["b"] },
  [`delete ${V1}/jobs/delete`]: { id: "1" },
  [`post ${V1}/users`]: {
    email: "fuzz@fuzz.test",
    password: "long enough password",
    role: "user",
    customer_id: 1,
    name: "F",
  },
  [`patch ${V1}/users/{user_id}`]: { name: "F", active: true },
  [`post ${V1}/customers`]: { name: "Fuzz customer" },
  [`post ${V1}/jobs/current/tasks`]: {
    machine_uuid: "fuzz-2",
    gpu_model: "NVIDIA H100",
    gpu_count: 8,
    gpu_memory_gb: 80,
    machine_ip: "10.0.0.1",
    hostname: "h",
    inventory: {},
  },
  [`post ${V1}/jobs/current/tasks/{task_id}/results`]: {
    benchmark_id: "quick_mark",
    state: "completed",
    results: {},
    config: {},
    started_at: "2026-11-29T00:00:00Z",
    idempotency_key: "k",
  },
  [`post ${V1}/jobs/current/tasks/{task_id}/logs`]: { lines: ["a", { line: "b", ts: "2026-11-29T00:00:00Z" }] },
  [`post ${V1}/jobs/current/tasks/{task_id}/heartbeat`]: { progress: { percent: 5, message: "m" } },
  [`post ${V1}/jobs/current/tasks/{task_id}/finish`]: { state: "failed", failed_message: "m" },
};

function bodyFor(route: ApiRouteDoc) {
  const keys = keysOf(route.body);
  const valid = VALID_BODIES[`${route.method} ${route.path}`] ?? {};
  const mutated = fc
    .array(fc.tuple(fc.constantFrom(...(keys.length ? keys : ["a"])), fieldValue), { minLength: 1, maxLength: 2 })
    .map((changes) => ({ ...valid, ...Object.fromEntries(changes) }));
  const aimed = keys.length
    ? fc.dictionary(fc.constantFrom(...keys), fieldValue, { maxKeys: keys.length })
    : fc.dictionary(fc.string(), fieldValue, { maxKeys: 5 });
  const deep = fc
    .integer({ min: 60, max: 20_000 })
    .map((d) => `{"${keys[0] ?? "a"}":${"[".repeat(d)}${"]".repeat(d)}}`);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: mutated.map(
        (o) =>
          ({
            text:
              route.bodyType === "form"
                ? new URLSearchParams(o as Record<string, string>).toString()
                : JSON.stringify(o),
            type: route.bodyType === "form" ? "form" : "json",
          }) as const,
      ),
    },
    {
      weight: 3,
      arbitrary: aimed.map(
        (o) => ({ text: JSON.stringify(o), type: route.bodyType === "form" ? "form" : "json" }) as const,
      ),
    },
    { weight: 2, arbitrary: jsonValue.map((v) => ({ text: JSON.stringify(v), type: "json" }) as const) },
    { weight: 1, arbitrary: deep.map((text) => ({ text, type: "json" }) as const) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("", "{", "null", "[1,2", '{"a":1}garbage')
        .map((text) => ({ text, type: "json" }) as const),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, type: "form" }) as const) },
  );
}

function requestFor(route: ApiRouteDoc) {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const queryKeys = [...keysOf(route.query), "page", "per_page", "follow"];
  return fc.record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant(route.method.toUpperCase()) },
      { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD") },
    ),
    params: fc.tuple(...params.map(idLike)),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 8 })), hostileString), {
      maxLength: 6,
    }),
    body: bodyFor(route),
    auth: fc.oneof(
      { weight: 1, arbitrary: fc.constant("none") },
      { weight: 2, arbitrary: fc.constantFrom("root", "job") },
    ),
  });
}

// next-auth's own endpoints are left out here: its handler needs Next.js's request scope and
// bundler (it cannot run in-process under tsx); their body checks are in hostile-input.test.ts.
const fuzzed = apiRoutes.filter((r) => !r.path.startsWith("/api/auth/"));
const requests = fc.constantFrom(...fuzzed).chain((route) => requestFor(route).map((r) => ({ route, ...r })));

async function send(r: {
  route: ApiRouteDoc;
  method: string;
  params: string[];
  query: [string, string][];
  body: { text: string; type: "json" | "form" };
  auth: string;
}) {
  let i = 0;
  const path = r.route.path.replace(/\{\w+\}/g, () => encodeURIComponent(r.params[i++]));
  const url = new URL(path, "http://localhost");
  for (const [k, v] of r.query) url.searchParams.append(k, v);
  const headers = new Headers();
  const token = r.auth === "root" ? creds.root : r.auth === "job" ? creds.job : undefined;
  if (token) headers.set("authorization", `Bearer ${token}`);
  const withBody = !["GET", "HEAD"].includes(r.method);
  if (withBody)
    headers.set("content-type", r.body.type === "form" ? "application/x-www-form-urlencoded" : "application/json");
  const res = await routeRequest(
    new Request(url, { method: r.method, headers, body: withBody ? r.body.text : undefined }),
  );
  // Streams that only end with the job (logs with follow=true) are not read to the end.
  const text = (res.headers.get("content-type") ?? "").includes("event-stream")
    ? (await res.body?.cancel(), "")
    : await res.text();
  return { res, text, url };
}

test(
  `fuzz: ${RUNS} random requests over every documented route — no 5xx, every error documented`,
  { timeout: 600_000 },
  async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const { res, text, url } = await send(r);
        const where = `${r.method} ${url.pathname}${url.search.slice(0, 200)} (${r.auth}) → ${res.status}: ${text.slice(0, 300)}`;
        assert.ok(res.status < 500, where);
        const requestId = res.headers.get("x-request-id");
        assert.ok(requestId, `no X-Request-Id: ${where}`);
        if (res.status >= 400 && r.method !== "HEAD") {
          const body = JSON.parse(text);
          assert.equal(typeof body.error?.code, "string", where);
          assert.equal(typeof body.error?.message, "string", where);
          assert.equal(body.error.request_id, requestId, where);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Healthy afterwards: readiness, and an ordinary read and write still work.
    assert.equal((await api.get("/api/health/ready")).status, 200);
    assert.equal((await api.get(`${V1}/jobs`, { token: creds.root })).status, 200);
    const created = await api.post(`${V1}/jobs`, {
      token: creds.root,
      body: { benchmarks: ["quick_mark"], name: "after fuzz" },
    });
    assert.equal(created.status, 201, created.text);
  },
);
