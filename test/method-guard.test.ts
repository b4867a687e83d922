import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { useFreshDatabase } from "./helpers/db";
import { call, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { ROUTE_METHODS } from "../lib/api/route-methods";

// Issue 10 item 11: wrong methods, OPTIONS and unknown paths answer with X-Request-Id and
// (for errors) the documented error shape, through proxy.ts's method guard.

let teardown: () => Promise<void>;
let token: string;
before(async () => {
  ({ teardown } = await useFreshDatabase());
  token = (await signedInUser("customer_admin", "Method Co")).token;
});
after(() => teardown());

async function exportedMethods(dir = "app/api", segments: string[] = ["", "api"]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await exportedMethods(p, [...segments, entry.name]));
    else if (entry.name === "route.ts" && p !== path.join("app", "api", "[...path]", "route.ts")) {
      const mod = await import(pathToFileURL(path.resolve(p)).href);
      const key = segments.map((s) => s.replace(/^\[(\.\.\.)?(\w+)\]$/, "{$1$2}")).join("/");
      out[key] = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => typeof mod[m] === "function");
    }
  }
  return out;
}

test("the proxy's method table matches what every route file exports", async () => {
  const actual = await exportedMethods();
  const table = Object.fromEntries(Object.entries(ROUTE_METHODS).map(([p, m]) => [p, [...m].sort()]));
  assert.deepEqual(table, Object.fromEntries(Object.entries(actual).map(([p, m]) => [p, [...m].sort()])));
});

for (const [method, p, allow] of [
  ["PUT", "/jobs", "GET, POST, DELETE, HEAD, OPTIONS"],
  ["DELETE", "/jobs/123", "GET, PATCH, HEAD, OPTIONS"],
  ["POST", "/jobs/export", "GET, HEAD, OPTIONS"],
  ["GET", "/token", "POST, OPTIONS"],
  ["PATCH", "/jobs/current/tasks/1/finish", "POST, OPTIONS"],
] as const) {
  test(`${method} ${p} → 405 METHOD_NOT_ALLOWED with Allow and X-Request-Id`, async () => {
    const res = await call(method, `${V1}${p}`, { token });
    assert.equal(res.status, 405, res.text);
    assert.equal(res.headers.get("allow"), allow);
    const id = res.headers.get("x-request-id");
    assert.ok(id);
    assert.equal(res.body.error.code, "METHOD_NOT_ALLOWED");
    assert.equal(res.body.error.request_id, id);
    assert.match(res.body.error.message, new RegExp(`${method} is not allowed`));
  });
}

test("PUT on next-auth's endpoints is a 405 in the same shape", async () => {
  const res = await call("PUT", "/api/auth/session");
  assert.equal(res.status, 405);
  assert.equal(res.body.error.code, "METHOD_NOT_ALLOWED");
});

test("OPTIONS on a known route → 204 with Allow and X-Request-Id (a given id is kept)", async () => {
  const res = await call("OPTIONS", `${V1}/jobs/7`, { headers: { "x-request-id": "trace-42" } });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("allow"), "GET, PATCH, HEAD, OPTIONS");
  assert.equal(res.headers.get("x-request-id"), "trace-42");
});

test("unknown paths, OPTIONS included, → 404 RESOURCE_NOT_FOUND with X-Request-Id", async () => {
  for (const method of ["GET", "PUT", "OPTIONS"]) {
    const res = await call(method, `${V1}/no/such/thing`);
    assert.equal(res.status, 404, `${method}: ${res.text}`);
    assert.equal(res.body.error.code, "RESOURCE_NOT_FOUND");
    assert.equal(res.body.error.request_id, res.headers.get("x-request-id"));
  }
});

test("a served method still reaches its handler", async () => {
  const res = await call("GET", `${V1}/jobs`, { token });
  assert.equal(res.status, 200, res.text);
});
