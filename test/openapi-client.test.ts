import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import createClient from "openapi-fetch";
import { useFreshDatabase } from "./helpers/db";
import { startHttpServer } from "./helpers/http-server";
import { signedInUser } from "./helpers/users";
import { API_TYPES_FILE, generateApiTypes } from "./client/generate";
import type { paths } from "./client/openapi-types";

// The OpenAPI document proven by a real generated client: openapi-typescript types (committed,
// so `npm run typecheck` checks these calls against the document) and openapi-fetch over
// loopback HTTP against the app's route handlers. A wrong path, method, parameter or body
// in the document breaks either the typecheck or these requests.

let teardown: () => Promise<void>;
let server: Awaited<ReturnType<typeof startHttpServer>>;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  server = await startHttpServer();
});
after(async () => {
  await server.close();
  await teardown();
});

test("the committed client types are generated from the current document", async () => {
  const committed = fs.readFileSync(API_TYPES_FILE, "utf8");
  assert.ok(committed === (await generateApiTypes()), `${API_TYPES_FILE} is stale: run npm run generate:api-types`);
});

test("main flows through the generated client: token, jobs, tags, agent run, results, logs, cancel, delete", async () => {
  const user = await signedInUser("user", "ClientCo");
  const anon = createClient<paths>({ baseUrl: server.url });

  // Token: OAuth2 password flow, form encoded as the document says.
  const token = await anon.POST("/api/silicon-mark/v1/token", {
    body: { username: user.email, password: user.password },
    bodySerializer: (b) => new URLSearchParams(b as Record<string, string>).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  assert.equal(token.response.status, 200);
  assert.equal(token.data?.token_type, "bearer");
  const wrong = await anon.POST("/api/silicon-mark/v1/token", {
    body: { username: user.email, password: "not the password" },
    bodySerializer: (b) => new URLSearchParams(b as Record<string, string>).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  assert.equal(wrong.response.status, 401);
  assert.equal(wrong.error?.error.code, "CLIENT_TOKEN_INVALID");

  const client = createClient<paths>({
    baseUrl: server.url,
    headers: { Authorization: `Bearer ${token.data!.access_token}` },
  });

  // Create two jobs.
  const created = await client.POST("/api/silicon-mark/v1/jobs", {
    body: { benchmarks: ["quick_mark"], name: "client-run", node_count: 1, tags: ["client"] },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const other = await client.POST("/api/silicon-mark/v1/jobs", {
    body: { benchmarks: ["quick_mark"], name: "client-other", node_count: 2 },
  });
  assert.equal(other.response.status, 201);
  const job = created.data!;
  const otherId = other.data!.id;

  // List with filters: only the tagged job matches name + tags + state.
  const listed = await client.GET("/api/silicon-mark/v1/jobs", {
    params: {
      query: {
        name: "client",
        tags: ["client"],
        state: "created",
        sort_by: "created_at",
        sort_order: "desc",
        per_page: "10",
      },
    },
  });
  assert.equal(listed.response.status, 200);
  assert.deepEqual(
    listed.data!.results.map((j) => j.id),
    [job.id],
  );
  assert.equal(listed.data!.pagination.total, 1);
  const bad = await client.GET("/api/silicon-mark/v1/jobs", { params: { query: { sort_by: "colour" as "name" } } });
  assert.equal(bad.response.status, 400);
  assert.equal(bad.error?.error.code, "PARAMETER_INCORRECT_VALUE");

  // Tag it, then the tag list has it.
  const tagged = await client.PATCH("/api/silicon-mark/v1/jobs/{job_id}", {
    params: { path: { job_id: job.id } },
    body: { tags: ["client", "gen"] },
  });
  assert.equal(tagged.response.status, 200);
  assert.deepEqual(tagged.data!.tags, ["client", "gen"]);
  const tags = await client.GET("/api/silicon-mark/v1/jobs/tags");
  assert.deepEqual(
    tags.data!.tags.filter((t) => t === "gen"),
    ["gen"],
  );

  // An agent runs the job with the job's token.
  const agent = createClient<paths>({ baseUrl: server.url, headers: { Authorization: `Bearer ${job.token}` } });
  const current = await agent.GET("/api/silicon-mark/v1/jobs/current");
  assert.equal(current.response.status, 200);
  const task = await agent.POST("/api/silicon-mark/v1/jobs/current/tasks", {
    body: { machine_uuid: "client-node-1", gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 },
  });
  assert.equal(task.response.status, 201, JSON.stringify(task.error));
  const taskPath = { path: { task_id: task.data!.id } };
  const logs = await agent.POST("/api/silicon-mark/v1/jobs/current/tasks/{task_id}/logs", {
    params: taskPath,
    body: { lines: ["quick_mark: warming up"] },
  });
  assert.deepEqual([logs.response.status, logs.data?.accepted], [202, 1]);
  const beat = await agent.POST("/api/silicon-mark/v1/jobs/current/tasks/{task_id}/heartbeat", {
    params: taskPath,
    body: { progress: { benchmark_id: "quick_mark", percent: 50 } },
  });
  assert.equal(beat.data?.continue, true);
  const upload = await agent.POST("/api/silicon-mark/v1/jobs/current/tasks/{task_id}/results", {
    params: taskPath,
    body: {
      benchmark_id: "quick_mark",
      state: "completed",
      results: { aggregate_results: { bf16_tflops: 7400, memory_bandwidth_gbs: 26000 } },
    },
  });
  assert.equal(upload.response.status, 201, JSON.stringify(upload.error));
  const finished = await agent.POST("/api/silicon-mark/v1/jobs/current/tasks/{task_id}/finish", {
    params: taskPath,
    body: { state: "completed" },
  });
  assert.equal(finished.data?.job_state, "completed");
  const stranger = await agent.GET("/api/silicon-mark/v1/jobs");
  assert.equal(stranger.response.status, 401, "a job token opens only the agent endpoints");

  // Detail, results and logs of the finished job.
  const jobPath = { path: { job_id: job.id } };
  const detail = await client.GET("/api/silicon-mark/v1/jobs/{job_id}", { params: jobPath });
  assert.equal(detail.data!.state, "completed");
  assert.deepEqual(
    detail.data!.tasks!.map((t) => t.machine_uuid),
    ["client-node-1"],
  );
  const results = await client.GET("/api/silicon-mark/v1/jobs/{job_id}/results", {
    params: { ...jobPath, query: { include_display_names: "true" } },
  });
  assert.equal(results.response.status, 200);
  const quickMark = results.data!.quick_mark as {
    results: Record<string, number>;
    display_names: Record<string, string>;
  };
  assert.equal(quickMark.results.bf16_tflops, 7400);
  assert.equal(quickMark.display_names.bf16_tflops, "BF16 Performance (TFLOPS)");
  const logText = await client.GET("/api/silicon-mark/v1/jobs/{job_id}/logs", {
    params: { ...jobPath, query: { timestamps: "false" } },
    parseAs: "text",
  });
  assert.equal(logText.response.status, 200);
  assert.match(logText.data as unknown as string, /quick_mark: warming up/);

  // Cancel the other job; cancelling again is a documented 409.
  const cancelled = await client.POST("/api/silicon-mark/v1/jobs/{job_id}/cancel", {
    params: { path: { job_id: otherId } },
  });
  assert.equal(cancelled.response.status, 200);
  const again = await client.POST("/api/silicon-mark/v1/jobs/{job_id}/cancel", {
    params: { path: { job_id: otherId } },
  });
  assert.equal(again.response.status, 409);
  assert.ok(again.error?.error.request_id);

  // Delete it; then it is gone (documented 404 in the error shape).
  const deleted = await client.DELETE("/api/silicon-mark/v1/jobs/delete", { body: { id: otherId } });
  assert.equal(deleted.response.status, 200);
  const gone = await client.GET("/api/silicon-mark/v1/jobs/{job_id}", { params: { path: { job_id: otherId } } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.error.code, "RESOURCE_NOT_FOUND");
});
