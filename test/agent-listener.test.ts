// The agent protocol's own listener (lib/http/agent-listener.ts) under `next start`: a whole
// simulated job runs through it; its answers carry what Next.js's carry (security headers,
// request id, the error format); what it does not serve (another method, another path) still
// reaches Next.js. Needs PostgreSQL (TEST_DATABASE_URL: the server and this test share the
// database) and a current production build; CI runs it after its `npm run build` step.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, productionBuildProblem, startNextInstance, type NextInstance } from "./helpers/next-start";
import { V1 } from "./helpers/api";
import { createEmptyDatabase } from "./helpers/db";
import { closeDb, getDb } from "../lib/db/client";
import { createUser } from "../lib/auth/users";
import { matchAgentRoute } from "../lib/http/agent-listener";
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

describe("agents through the listener under next start", { skip: skip ?? false }, () => {
  let server: NextInstance;
  let database: Awaited<ReturnType<typeof createEmptyDatabase>> | undefined;
  let dataDir = "";
  let token = "";

  before(async () => {
    database = await createEmptyDatabase(process.env.TEST_DATABASE_URL!, "benchboard_t_listener");
    process.env.DATABASE_URL = database.url;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-listener-"));
    server = await startNextInstance(await freePort(), {
      DATABASE_URL: database.url,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      BENCHBOARD_DATA_DIR: dataDir,
      BENCHBOARD_DEMO: "0",
      // The test is this server's proxy: X-Forwarded-For is believed from a stamped loopback peer.
      TRUSTED_PROXIES: "127.0.0.1,::1",
    });
    for (;;) if ((await fetch(`${server.url}/api/health/ready`)).status === 200) break;
    await createUser(await getDb(), {
      email: "engineer@listener.test",
      password: PASSWORD,
      role: "user",
      customer: "Listener Co",
    });
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
    const user = await fetch(`${server.url}${V1}/jobs/stats`, { headers: { authorization: `Bearer ${token}` } });
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
