// Routes served beside Next.js (lib/http/direct-routes.ts) under `next start`. The agent
// protocol (lib/http/agent-listener.ts): a whole simulated job runs through it. The hot reads
// (lib/http/read-listener.ts): gzip as Next.js gives it, the dashboard's session cookie over
// http and behind a TLS proxy. Their answers carry what Next.js's carry (security headers,
// request id, the error format); what they do not serve (another method, another path) still
// reaches Next.js. Needs PostgreSQL (TEST_DATABASE_URL: the server and this test share the
// database) and a current production build; CI runs it after its `npm run build` step.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort, productionBuildProblem, startNextInstance, type NextInstance } from "./helpers/next-start";
import { V1 } from "./helpers/api";
import { createEmptyDatabase } from "./helpers/db";
import { closeDb, getDb } from "../lib/db/client";
import { createUser } from "../lib/auth/users";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { matchAgentRoute } from "../lib/http/agent-listener";
import { matchReadRoute } from "../lib/http/read-listener";
import { routeMatcher, type RouteModule } from "../lib/http/direct-routes";
import { chooseEncoding } from "../lib/http/compress";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "../lib/http/security-headers";
import { AgentClient } from "../agent/client";
import { simulateJob } from "../agent/simulate-job";

const PASSWORD = "correct horse battery";

test("the listener takes exactly the agent routes and their methods; the rest goes to Next.js", () => {
  assert.equal(matchAgentRoute("GET", `${V1}/jobs/current`)?.method, "GET");
  assert.equal(matchAgentRoute("POST", `${V1}/jobs/current/tasks`)?.method, "POST");
  assert.deepEqual(matchAgentRoute("POST", `${V1}/jobs/current/tasks/42/results?x=1`)?.params, { task_id: "42" });
  for (const tail of ["logs", "heartbeat", "batch", "finish"])
    assert.ok(matchAgentRoute("POST", `${V1}/jobs/current/tasks/7/${tail}`), tail);
  assert.ok(matchAgentRoute("GET", `${V1}/jobs/current/tasks/7/peers`));
  // Methods a route does not serve, other paths and malformed escapes are Next.js's to answer.
  assert.equal(matchAgentRoute("PUT", `${V1}/jobs/current`), null);
  assert.equal(matchAgentRoute("GET", `${V1}/jobs/current/tasks/7/results`), null);
  assert.equal(matchAgentRoute("GET", `${V1}/jobs`), null);
  assert.equal(matchAgentRoute("GET", `${V1}/jobs/current/extra`), null);
  assert.equal(matchAgentRoute("POST", `${V1}/jobs/current/tasks/%E0%A4%A/results`), null);
});

test("the read listener takes GET of the jobs', tasks' and fleet's JSON reads and liveness; nothing else", () => {
  const served = [
    "/jobs",
    "/jobs?state=running&per_page=5",
    "/jobs/stats",
    "/jobs/tags",
    "/jobs/123",
    "/jobs/summary",
    "/jobs/123/results?include_display_names=true",
    "/tasks?page=2",
    "/server",
    "/machines?health_state=suspect",
    "/machines/heatmap",
    "/machines/42",
    "/compare?jobs=1,2",
  ];
  for (const path of served) assert.ok(matchReadRoute("GET", `${V1}${path}`), path);
  assert.ok(matchReadRoute("GET", "/api/health/live"), "the benchmark's floor, on the same path");
  assert.equal(matchReadRoute("GET", "/api/health/ready"), null);
  assert.deepEqual(matchReadRoute("GET", `${V1}/jobs/123?parts=tasks`)?.params, { job_id: "123" });
  assert.deepEqual(matchReadRoute("GET", `${V1}/machines/42`)?.params, { machine_id: "42" });
  // Writes stay on Next.js; so do the static siblings of an id, a malformed id, files and streams.
  assert.equal(matchReadRoute("POST", `${V1}/jobs`), null);
  assert.equal(matchReadRoute("PATCH", `${V1}/jobs/123`), null);
  assert.equal(matchReadRoute("HEAD", `${V1}/jobs`), null);
  const left = [
    "/jobs/current",
    "/jobs/abc",
    "/jobs/abc/results",
    "/jobs/123/results.tar.gz",
    "/jobs/123/report.pdf",
    "/jobs/123/logs",
    "/jobs/stats/x",
    "/machines/enrolled",
    "/machines/drain-list",
    "/machines/abc",
    "/machines/42/health",
    "/tasks/7/results",
  ];
  for (const path of left) assert.equal(matchReadRoute("GET", `${V1}${path}`), null, path);
});

test("a route's module is imported once for all its requests, and a failed import is tried again", async () => {
  let imports = 0;
  let failNext = true;
  const match = routeMatcher([
    {
      template: `${V1}/jobs/current`,
      load: async (): Promise<RouteModule> => {
        imports++;
        if (failNext) {
          failNext = false;
          throw new Error("chunk not loaded");
        }
        return { GET: async () => new Response("ok") };
      },
    },
  ]);
  const route = () => match("GET", `${V1}/jobs/current`)!;
  await assert.rejects(route().load(), /chunk not loaded/);
  const first = await route().load();
  const second = await route().load();
  assert.equal(first, second);
  assert.equal(imports, 2, "one failed import, then one import for every later request");
});

test("Brotli for a client that names it, gzip for one that accepts it by name or through *, never at q=0", () => {
  const cases: [string | undefined, string | null][] = [
    ["gzip, deflate, br, zstd", "br"], // Chromium's, over plain HTTP too
    ["gzip, deflate, br", "br"],
    ["br", "br"],
    ["BR;q=0.5, gzip;q=0.5", "br"], // a tie: the smaller and faster
    ["br;q=0.4, gzip;q=0.5", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip, deflate", "gzip"], // Node.js's fetch
    ["gzip", "gzip"],
    ["*", "gzip"], // Brotli only when named
    ["deflate, *;q=0.1", "gzip"],
    ["x-gzip", "gzip"],
    ["GZIP", "gzip"],
    [undefined, null],
    ["", null],
    ["identity", null],
    ["deflate, zstd", null],
    ["gzip;q=0", null],
    ["*;q=0", null],
    ["gzip;q=0, *", null],
    ["gzip;q=zero, br;q=0", null],
  ];
  for (const [header, coding] of cases) assert.equal(chooseEncoding(header), coding, String(header));
});

test("next.config.mjs sends the same static security headers the listener adds", async () => {
  // A plain .mjs without types: imported by a path the type checker does not follow.
  const configPath = "../next.config.mjs";
  const nextConfig = (await import(configPath)).default as { headers: () => Promise<unknown> };
  const rules = await nextConfig.headers();
  assert.deepEqual(rules, [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }]);
});

const skip = !process.env.TEST_DATABASE_URL
  ? "needs PostgreSQL (TEST_DATABASE_URL): the server and the test share the database"
  : productionBuildProblem();

describe("the listeners under next start", { skip: skip ?? false }, () => {
  let server: NextInstance;
  let database: Awaited<ReturnType<typeof createEmptyDatabase>> | undefined;
  let dataDir = "";
  let token = "";
  const authSecret = randomBytes(32).toString("hex");
  let userId = 0;

  before(async () => {
    database = await createEmptyDatabase(process.env.TEST_DATABASE_URL!, "benchboard_t_listener");
    process.env.DATABASE_URL = database.url;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-listener-"));
    server = await startNextInstance(await freePort(), {
      DATABASE_URL: database.url,
      AUTH_SECRET: authSecret,
      BENCHBOARD_DATA_DIR: dataDir,
      BENCHBOARD_DEMO: "0",
      // The test is this server's proxy: X-Forwarded-For is believed from a stamped loopback peer.
      TRUSTED_PROXIES: "127.0.0.1,::1",
    });
    for (;;) if ((await fetch(`${server.url}/api/health/ready`)).status === 200) break;
    userId = (
      await createUser(await getDb(), {
        email: "engineer@listener.test",
        password: PASSWORD,
        role: "user",
        customer: "Listener Co",
      })
    ).id;
    const res = await fetch(`${server.url}${V1}/token`, {
      method: "POST",
      body: new URLSearchParams({ username: "engineer@listener.test", password: PASSWORD }),
    });
    token = (await res.json()).access_token;
  });

  after(async () => {
    await server?.stop();
    await closeDb();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function createJob(nodes: number, benchmarks = ["quick_mark"]) {
    const res = await fetch(`${server.url}${V1}/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `listener ${randomBytes(3).toString("hex")}`, node_count: nodes, benchmarks }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as { id: string; token: string };
  }

  test("a 3-node job runs to completion through it, batch uploads included", async () => {
    const job = await createJob(3, ["quick_mark", "cluster_network"]);
    const client = new AgentClient({ baseUrl: server.url, token: job.token, backoffMs: 10 });
    await simulateJob(client, { gpuModel: "NVIDIA H100 80GB HBM3", nodes: 3, seed: 5 });
    const res = await fetch(`${server.url}${V1}/jobs/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
    const detail = await res.json();
    assert.equal(detail.state, "completed");
    assert.equal(detail.tasks.length, 3);
    for (const t of detail.tasks) assert.equal(t.benchmark_results.quick_mark.state, "completed");
  });

  test("its answers carry the headers of the API's, and it is what answered", async () => {
    const job = await createJob(1);
    const agent = await fetch(`${server.url}${V1}/jobs/current`, { headers: { authorization: `Bearer ${job.token}` } });
    assert.equal(agent.status, 200);
    assert.equal((await agent.json()).id, job.id);
    // A user route neither listener serves: Next.js's answer, for comparison.
    const user = await fetch(`${server.url}${V1}/schedules`, { headers: { authorization: `Bearer ${token}` } });
    for (const res of [agent, user]) {
      for (const { key, value } of STATIC_SECURITY_HEADERS) assert.equal(res.headers.get(key), value, key);
      assert.equal(res.headers.get("content-security-policy"), API_CONTENT_SECURITY_POLICY);
      assert.match(res.headers.get("x-request-id") ?? "", /^[\w-]{8,}$/);
      assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(res.headers.get("cache-control"), "no-store, no-transform");
    }
    // Next.js marks each of its answers with its router's Vary; the listener's have none.
    assert.match(user.headers.get("vary") ?? "", /rsc/);
    assert.equal(agent.headers.get("vary"), null);
  });

  test("the hot reads: served beside Next.js, compressed for a client that asks, the same JSON either way", async () => {
    for (let i = 0; i < 30; i++) await createJob(1); // a page of jobs well over gzip's 1 KB
    const [a, b] = [await createJob(2), await createJob(1)];
    const paths = [
      "/jobs?per_page=30",
      "/jobs/stats",
      "/jobs/tags",
      `/jobs/${a.id}`,
      `/jobs/${a.id}/results`,
      "/jobs/summary",
      "/tasks",
      "/server",
      "/machines",
      "/machines/heatmap",
      `/compare?jobs=${a.id},${b.id}`,
    ];
    for (const path of paths) {
      const auth = { authorization: `Bearer ${token}` };
      // node:http, so that the bytes on the wire are seen as sent (fetch would decode them).
      const br = await rawGet(`${server.url}${V1}${path}`, { ...auth, "accept-encoding": "gzip, deflate, br, zstd" });
      const gz = await rawGet(`${server.url}${V1}${path}`, { ...auth, "accept-encoding": "gzip, deflate" });
      const plain = await rawGet(`${server.url}${V1}${path}`, { ...auth, "accept-encoding": "identity" });
      for (const res of [br, gz, plain]) {
        assert.equal(res.status, 200, path);
        for (const { key, value } of STATIC_SECURITY_HEADERS) assert.equal(res.headers[key.toLowerCase()], value, key);
        assert.equal(res.headers["content-security-policy"], API_CONTENT_SECURITY_POLICY);
        assert.match(String(res.headers["x-request-id"]), /^[\w-]{8,}$/);
        assert.equal(res.headers["content-length"], String(res.body.length), "a whole answer, with its length");
        assert.doesNotMatch(String(res.headers["vary"] ?? ""), /rsc/, "Next.js's router did not answer it");
      }
      const big = plain.body.length >= 1024;
      assert.equal(br.headers["content-encoding"], big ? "br" : undefined, path);
      assert.equal(gz.headers["content-encoding"], big ? "gzip" : undefined, path);
      assert.equal(plain.headers["content-encoding"], undefined);
      for (const res of [br, gz]) assert.equal(res.headers["vary"], big ? "Accept-Encoding" : undefined, path);
      const [fromBr, fromGzip, unzipped] = [
        big ? brotliDecompressSync(br.body) : br.body,
        big ? gunzipSync(gz.body) : gz.body,
        plain.body,
      ].map((b) => JSON.parse(b.toString()));
      // The reads are apart in time: a wait counted in whole seconds may cross a second's edge
      // between them, so it is checked to within one second and then set aside.
      if (path === "/jobs/summary") {
        const waits = [fromBr, fromGzip, unzipped].map((s) => s.queue.oldest_wait_seconds as number);
        assert.ok(waits[2] - waits[0] >= 0 && waits[2] - waits[0] <= 1, `oldest_wait_seconds ${waits.join(" then ")}`);
        for (const s of [fromBr, fromGzip, unzipped]) delete s.queue.oldest_wait_seconds;
      }
      assert.deepEqual(fromBr, unzipped, path);
      assert.deepEqual(fromGzip, unzipped, path);
    }
    const anonymous = await rawGet(`${server.url}${V1}/jobs`, {});
    assert.equal(anonymous.status, 401);
    assert.equal(JSON.parse(anonymous.body.toString()).error.code, "CLIENT_TOKEN_INVALID");
  });

  test("the hot reads take the dashboard's session cookie, and its __Secure- name behind a TLS proxy", async () => {
    const session = await encode({ token: { sub: String(userId) }, secret: authSecret });
    const read = (cookie: string, proto?: string) =>
      fetch(`${server.url}${V1}/jobs/stats`, {
        headers: { cookie, ...(proto ? { "x-forwarded-proto": proto } : {}) },
      });
    assert.equal((await read(`next-auth.session-token=${session}`)).status, 200);
    assert.equal((await read(`__Secure-next-auth.session-token=${session}`, "https")).status, 200);
    // Each name only on its own scheme, as next-auth itself reads them.
    assert.equal((await read(`next-auth.session-token=${session}`, "https")).status, 401);
    assert.equal((await read(`__Secure-next-auth.session-token=${session}`)).status, 401);
  });

  test("report links name the host the client addressed, whichever path served the read", async () => {
    const job = await createJob(1);
    await simulateJob(new AgentClient({ baseUrl: server.url, token: job.token, backoffMs: 10 }), {
      gpuModel: "NVIDIA H100 80GB HBM3",
      nodes: 1,
      seed: 9,
    });
    const auth = { authorization: `Bearer ${token}` };
    const cases: [Record<string, string>, string][] = [
      [{ host: "example.test:8080" }, "http://example.test:8080"],
      [
        { host: "app:3000", "x-forwarded-host": "bench.example", "x-forwarded-proto": "https" },
        "https://bench.example",
      ],
    ];
    for (const [headers, origin] of cases) {
      // A job's detail and its nodes (GET /tasks): the read listener. The job of one of its
      // results (GET /results/{id}/job): Next.js.
      const detail = await rawGet(`${server.url}${V1}/jobs/${job.id}`, { ...auth, ...headers });
      const tasks = await rawGet(`${server.url}${V1}/tasks?job_id=${job.id}`, { ...auth, ...headers });
      const jobDetail = JSON.parse(detail.body.toString());
      const resultId = (Object.values(jobDetail.tasks[0].benchmark_results)[0] as { id: string }).id;
      const viaNext = await rawGet(`${server.url}${V1}/results/${resultId}/job`, { ...auth, ...headers });
      assert.doesNotMatch(String(detail.headers["vary"] ?? ""), /rsc/);
      assert.doesNotMatch(String(tasks.headers["vary"] ?? ""), /rsc/);
      assert.match(String(viaNext.headers["vary"] ?? ""), /rsc/);
      assert.equal(jobDetail.pdf_report_url, `${origin}${V1}/jobs/${job.id}/report.pdf`);
      assert.equal(JSON.parse(viaNext.body.toString()).pdf_report_url, `${origin}${V1}/jobs/${job.id}/report.pdf`);
      const [node] = JSON.parse(tasks.body.toString()).data;
      assert.equal(node.pdf_report_url, `${origin}${V1}/jobs/${job.id}/tasks/${node.id}/report.pdf`);
    }
  });

  test("requests it serves carry the peer-address stamp: a trusted proxy's X-Forwarded-For names the client", async () => {
    // A refused job token counts against the client address. Stamped, the peer is the trusted
    // loopback proxy and each forwarded address has its own budget; unstamped, every request
    // would be the one address "unknown".
    const refused = (forwardedFor: string) =>
      fetch(`${server.url}${V1}/jobs/current`, {
        headers: { authorization: "Bearer not-a-job-token", "x-forwarded-for": forwardedFor },
      });
    const a1 = await refused("203.0.113.7");
    const a2 = await refused("203.0.113.7");
    const b1 = await refused("203.0.113.8");
    for (const res of [a1, a2, b1]) assert.equal(res.status, 401);
    const remaining = (res: Response) => Number(res.headers.get("x-ratelimit-remaining"));
    assert.equal(remaining(a2), remaining(a1) - 1);
    assert.equal(remaining(b1), remaining(a1), "the second address starts its own budget");
    // …and the listener answered them (Next.js would have added its router's Vary).
    assert.equal(b1.headers.get("vary"), null);
  });

  test("errors in the documented format; a method the route does not serve is Next.js's 405", async () => {
    const noToken = await fetch(`${server.url}${V1}/jobs/current`);
    assert.equal(noToken.status, 401);
    const body = await noToken.json();
    assert.equal(typeof body.error.code, "string");
    assert.equal(body.error.request_id, noToken.headers.get("x-request-id"));

    const job = await createJob(1);
    const bad = await fetch(`${server.url}${V1}/jobs/current/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${job.token}`, "content-type": "application/json" },
      body: JSON.stringify({ gpu_count: "eight" }),
    });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code.length > 0, true);

    // A body past the largest any endpoint reads: 413 from the handler's own check, undeclared
    // (chunked) as well as declared.
    const huge = JSON.stringify({ benchmark_id: "quick_mark", results: { pad: "x".repeat(1024 * 1024 + 10) } });
    for (const chunked of [false, true]) {
      const body = chunked
        ? new ReadableStream({
            start(c) {
              for (let i = 0; i < huge.length; i += 64 * 1024)
                c.enqueue(new TextEncoder().encode(huge.slice(i, i + 64 * 1024)));
              c.close();
            },
          })
        : huge;
      const res = await fetch(`${server.url}${V1}/jobs/current/tasks/1/results`, {
        method: "POST",
        headers: { authorization: `Bearer ${job.token}`, "content-type": "application/json" },
        body,
        ...(chunked ? { duplex: "half" } : {}),
      } as RequestInit);
      assert.equal(res.status, 413, `chunked: ${chunked}`);
      assert.equal((await res.json()).error.code, "PAYLOAD_TOO_LARGE");
    }

    const put = await fetch(`${server.url}${V1}/jobs/current`, {
      method: "PUT",
      headers: { authorization: `Bearer ${job.token}` },
    });
    assert.equal(put.status, 405);
    assert.equal((await put.json()).error.code, "METHOD_NOT_ALLOWED");
    assert.equal(put.headers.get("allow"), "GET, HEAD, OPTIONS");
  });
});

function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}
