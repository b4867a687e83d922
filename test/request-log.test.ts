import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import pino from "pino";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { PEER_ADDRESS_HEADER } from "../lib/http/peer-address";
import { signedInUser } from "./helpers/users";

// Capture the request log: the process logger is a singleton, installed here before any request.
const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(JSON.parse(l));
    done();
  },
});
(globalThis as Record<symbol, unknown>)[Symbol.for("benchboard.logger")] = pino(
  { level: "info", base: { service: "benchboard" } },
  sink,
);

let teardown: () => Promise<void>;
before(async () => ({ teardown } = await useFreshDatabase()));
after(() => teardown());

const requestLine = (id: string) => lines.find((l) => l.msg === "request" && l.request_id === id);

test("one JSON log line per request: request id, caller, route template, method, status, duration", async () => {
  const u = await signedInUser("user", "Log Co");
  const job = await api.post(`${V1}/jobs`, {
    token: u.token,
    body: { benchmarks: ["quick_mark"] },
    headers: { "x-request-id": "log-create" },
  });
  await api.get(`${V1}/jobs/${job.body.id}`, { token: u.token, headers: { "x-request-id": "log-detail" } });
  await api.get(`${V1}/jobs/current`, { token: job.body.token, headers: { "x-request-id": "log-agent" } });
  await api.get(`${V1}/jobs/1`, {
    token: "forged",
    headers: { "x-request-id": "log-401", [PEER_ADDRESS_HEADER]: "203.0.113.5" },
  });
  await api.get("/api/health/live", { headers: { "x-request-id": "log-live" } });

  const create = requestLine("log-create")!;
  assert.equal(create.level, 30);
  assert.equal(create.method, "POST");
  assert.equal(create.route, "/api/silicon-mark/v1/jobs");
  assert.equal(create.status, 201);
  assert.deepEqual(create.caller, { user_id: u.id, role: "user" });
  assert.equal(typeof create.duration_ms, "number");
  assert.ok(create.time);

  assert.equal(requestLine("log-detail")!.route, "/api/silicon-mark/v1/jobs/{job_id}", "route template, not the id");
  assert.deepEqual(requestLine("log-agent")!.caller, { job_id: job.body.id });
  assert.deepEqual([requestLine("log-401")!.status, requestLine("log-401")!.caller], [401, { ip: "203.0.113.5" }]);
  assert.equal(requestLine("log-live")!.status, 200);
  assert.equal(lines.filter((l) => l.request_id === "log-create").length, 1, "exactly one line per request");
});

test("LOG_LEVEL sets the level; under the test runner the default is silent", () => {
  const level = (env: Record<string, string>) =>
    execFileSync(
      process.execPath,
      ["--import", "tsx", "-e", "import('./lib/ops/logger.ts').then((m) => process.stdout.write(m.logger().level))"],
      {
        env: { ...process.env, NODE_TEST_CONTEXT: "", LOG_LEVEL: "", ...env },
      },
    ).toString();
  assert.equal(level({}), "info");
  assert.equal(level({ LOG_LEVEL: "warn" }), "warn");
  assert.equal(level({ NODE_TEST_CONTEXT: "child-v8" }), "silent");
});
