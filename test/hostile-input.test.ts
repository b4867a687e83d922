import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, routeRequest, V1, type ApiResponse } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../lib/api/body";

// Issue 10 items 5 and 6: oversized, deep, NUL-carrying, out-of-range input is a 4xx in the
// documented error shape naming what was wrong, never a 500.

let teardown: () => Promise<void>;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let root: Awaited<ReturnType<typeof signedInUser>>;
let job: { id: string; token: string };
let taskId: string;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Hostile Co");
  root = await signedInUser("root_admin", "Root Co");
  const created = await api.post(`${V1}/jobs`, {
    token: admin.token,
    body: { benchmarks: ["quick_mark"], node_count: 2 },
  });
  assert.equal(created.status, 201, created.text);
  job = created.body;
  const task = await api.post(`${V1}/jobs/current/tasks`, {
    token: job.token,
    body: { machine_uuid: "m-1", gpu_model: "NVIDIA H100", gpu_count: 8 },
  });
  assert.equal(task.status, 201, task.text);
  taskId = task.body.id;
});
after(async () => teardown());

function assertError(res: ApiResponse, status: number, code: string, field?: string) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.error?.code, code, res.text);
  assert.ok(res.headers.get("x-request-id"), "X-Request-Id");
  assert.equal(res.body.error.request_id, res.headers.get("x-request-id"));
  if (field !== undefined)
    assert.match(res.body.error.message, new RegExp(field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), res.text);
}

async function send(req: Request): Promise<ApiResponse> {
  const res = await routeRequest(req);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** A body that never ends: only a reader that stops at the limit can answer. */
function endlessBody(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  return new ReadableStream({ pull: (c) => c.enqueue(chunk) });
}

describe("body size limit, enforced while streaming", () => {
  test("POST /token with a form body over the limit → 413 before the whole body is read", async () => {
    const res = await send(
      new Request(`http://localhost${V1}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: endlessBody(),
        duplex: "half",
      } as RequestInit),
    );
    assertError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test("JSON endpoints stop reading an endless body at the limit → 413", async () => {
    const res = await send(
      new Request(`http://localhost${V1}/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
        body: endlessBody(),
        duplex: "half",
      } as RequestInit),
    );
    assertError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test("a declared Content-Length over the limit is refused up front", async () => {
    const body = "x".repeat(MAX_BODY_BYTES + 1);
    const res = await api.post(`${V1}/token`, {
      rawBody: body,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) },
    });
    assertError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test("next-auth's endpoints: oversized body → 413 in the error format", async () => {
    const res = await send(
      new Request("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: endlessBody(),
        duplex: "half",
      } as RequestInit),
    );
    assertError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test("next-auth sign-in with a JSON content type and an empty (or malformed) body → 400", async () => {
    assertError(
      await api.post("/api/auth/callback/credentials", {
        rawBody: "",
        headers: { "content-type": "application/json" },
      }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
    assertError(
      await api.post("/api/auth/callback/credentials", {
        rawBody: "{",
        headers: { "content-type": "application/json" },
      }),
      400,
      "PARAMETER_INCORRECT_VALUE",
    );
  });
});

describe("JSON depth limit", () => {
  // As text: building (or stringifying) such a value would exhaust the test's own stack.
  const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

  test(`results nested 10,000 deep → 400 naming the field; ${MAX_JSON_DEPTH} levels are fine`, async () => {
    const url = `${V1}/jobs/current/tasks/${taskId}/results`;
    const deep = await api.post(url, {
      token: job.token,
      rawBody: `{"benchmark_id":"quick_mark","state":"completed","results":${nest(10_000)}}`,
      headers: { "content-type": "application/json" },
    });
    assertError(deep, 400, "PARAMETER_INCORRECT_VALUE", "results.a.a");
    assert.match(deep.body.error.message, /nested deeper than 64 levels/);
    const ok = await api.post(url, {
      token: job.token,
      rawBody: `{"benchmark_id":"quick_mark","state":"failed","results":${nest(MAX_JSON_DEPTH - 2)}}`,
      headers: { "content-type": "application/json" },
    });
    assert.equal(ok.status, 201, ok.text);
  });

  test("POST /token with deeply nested JSON → 400", async () => {
    const res = await api.post(`${V1}/token`, {
      rawBody: `{"username":${nest(100_000)},"password":"x"}`,
      headers: { "content-type": "application/json" },
    });
    assertError(res, 400, "PARAMETER_INCORRECT_VALUE", "username");
  });
});

describe("path ids must fit a signed bigint", () => {
  const huge = "9999999999999999999"; // 19 digits, > 2^63 - 1
  const over = "9223372036854775808"; // 2^63
  const userRoutes: [string, string, string][] = [
    ["GET", `/jobs/${huge}`, "job_id"],
    ["PATCH", `/jobs/${huge}`, "job_id"],
    ["GET", `/jobs/${huge}/results`, "job_id"],
    ["POST", `/jobs/${huge}/cancel`, "job_id"],
    ["GET", `/jobs/${huge}/logs`, "job_id"],
    ["GET", `/jobs/${huge}/performance`, "job_id"],
    ["GET", `/jobs/${huge}/report.pdf`, "job_id"],
    ["GET", `/jobs/${huge}/results.tar.gz`, "job_id"],
    ["GET", `/jobs/1/tasks/${over}/report.pdf`, "task_id"],
    ["GET", `/jobs/1/logs?task_id=${over}`, "task_id"],
    ["GET", `/results/${over}`, "result_id"],
    ["GET", `/results/${over}/job`, "result_id"],
  ];
  for (const [method, path, param] of userRoutes) {
    test(`${method} ${path} → 400 naming ${param}`, async () => {
      const res = await api[method.toLowerCase() as "get"](`${V1}${path}`, {
        token: admin.token,
        body: method === "PATCH" ? { name: "x" } : undefined,
      });
      assertError(res, 400, "PARAMETER_INCORRECT_VALUE", param);
    });
  }
  for (const action of ["results", "logs", "heartbeat", "finish"]) {
    test(`agent POST /jobs/current/tasks/${huge}/${action} → 400 naming task_id`, async () => {
      const res = await api.post(`${V1}/jobs/current/tasks/${huge}/${action}`, {
        token: job.token,
        body: { state: "completed", lines: ["x"], benchmark_id: "quick_mark" },
      });
      assertError(res, 400, "PARAMETER_INCORRECT_VALUE", "task_id");
    });
  }
  test("DELETE /jobs/delete with an id over 2^63-1 → 400", async () => {
    assertError(
      await api.delete(`${V1}/jobs/delete`, { token: admin.token, body: { id: huge } }),
      400,
      "PARAMETER_INCORRECT_VALUE",
      "id",
    );
  });
});

test("POST /users with a customer_id beyond PostgreSQL's integer → 400, not 500", async () => {
  const res = await api.post(`${V1}/users`, {
    token: root.token,
    body: { email: "big@hostile.test", password: "long enough password", role: "user", customer_id: 2 ** 31 },
  });
  assertError(res, 400, "PARAMETER_INCORRECT_VALUE", "customer_id");
});

describe("NUL characters are refused (PostgreSQL text cannot store them)", () => {
  const NUL = "bad\u0000name";
  const cases: [string, () => Promise<ApiResponse>, string][] = [
    [
      "POST /jobs name",
      () => api.post(`${V1}/jobs`, { token: admin.token, body: { benchmarks: ["quick_mark"], name: NUL } }),
      "name",
    ],
    [
      "POST /jobs tags",
      () => api.post(`${V1}/jobs`, { token: admin.token, body: { benchmarks: ["quick_mark"], tags: ["ok", NUL] } }),
      "tags.1",
    ],
    [
      "PATCH /jobs/{id} description",
      () => api.patch(`${V1}/jobs/${job.id}`, { token: admin.token, body: { description: NUL } }),
      "description",
    ],
    ["GET /jobs?name=", () => api.get(`${V1}/jobs?name=${encodeURIComponent(NUL)}`, { token: admin.token }), "name"],
    [
      "GET /jobs/stats?name=",
      () => api.get(`${V1}/jobs/stats?name=${encodeURIComponent(NUL)}`, { token: admin.token }),
      "name",
    ],
    [
      "GET /jobs/export?name=",
      () => api.get(`${V1}/jobs/export?name=${encodeURIComponent(NUL)}`, { token: admin.token }),
      "name",
    ],
    ["POST /customers name", () => api.post(`${V1}/customers`, { token: root.token, body: { name: NUL } }), "name"],
    [
      "POST /users name",
      () =>
        api.post(`${V1}/users`, {
          token: admin.token,
          body: { email: "nul@hostile.test", name: NUL, password: "long enough password", role: "user" },
        }),
      "name",
    ],
    [
      "agent results (nested value)",
      () =>
        api.post(`${V1}/jobs/current/tasks/${taskId}/results`, {
          token: job.token,
          body: { benchmark_id: "quick_mark", state: "completed", results: { gpus: [{ name: NUL }] } },
        }),
      "results.gpus.0.name",
    ],
    [
      "agent results (key)",
      () =>
        api.post(`${V1}/jobs/current/tasks/${taskId}/results`, {
          token: job.token,
          body: { benchmark_id: "quick_mark", state: "completed", results: { [NUL]: 1 } },
        }),
      "results.bad\\u0000name",
    ],
    [
      "agent logs",
      () => api.post(`${V1}/jobs/current/tasks/${taskId}/logs`, { token: job.token, body: { lines: ["fine", NUL] } }),
      "lines.1",
    ],
    ["POST /token form", () => api.post(`${V1}/token`, { form: { username: NUL, password: "x" } }), "username"],
  ];
  for (const [name, run, field] of cases) {
    test(`${name} → 400 naming ${field}`, async () =>
      assertError(await run(), 400, "PARAMETER_INCORRECT_VALUE", field));
  }
});

describe("dates within 1970–9999", () => {
  for (const q of ["created_after=0000-01-01", "created_before=1969-12-31", "created_after=10000-01-01"]) {
    test(`GET /jobs?${q} → 400`, async () =>
      assertError(
        await api.get(`${V1}/jobs?${q}`, { token: admin.token }),
        400,
        "PARAMETER_INCORRECT_VALUE",
        q.split("=")[0],
      ));
  }
  test("GET /jobs/export validates before it streams: 400, not a 200 cut off mid-file", async () => {
    assertError(
      await api.get(`${V1}/jobs/export?created_after=0000-01-01`, { token: admin.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
      "created_after",
    );
    assertError(
      await api.get(`${V1}/jobs/export?format=json&created_before=0000-01-01`, { token: admin.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
      "created_before",
    );
  });
  test("DELETE /jobs?created_before=0000-01-01 → 400", async () => {
    assertError(
      await api.delete(`${V1}/jobs?created_before=0000-01-01`, { token: admin.token }),
      400,
      "PARAMETER_INCORRECT_VALUE",
      "created_before",
    );
  });
  test("agent result dates out of range → 400", async () => {
    const res = await api.post(`${V1}/jobs/current/tasks/${taskId}/results`, {
      token: job.token,
      body: { benchmark_id: "quick_mark", state: "completed", started_at: "0000-01-01T00:00:00Z" },
    });
    assertError(res, 400, "PARAMETER_INCORRECT_VALUE", "started_at");
  });
});
