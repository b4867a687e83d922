import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { buildOpenApiDocument } from "../lib/openapi/document";
import { apiRoutes } from "../lib/openapi/routes";

type Json = Record<string, any>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// Route files that are deliberately not endpoints of the API.
const NOT_ENDPOINTS: Record<string, string> = {
  "app/api/[...path]/route.ts": "fallback answering 404 for unknown API paths",
};

interface RouteFile {
  file: string;
  /** /api/... with {param} placeholders; for a catch-all, the prefix before it. */
  path: string;
  catchAll: boolean;
  methods: string[];
}

async function routeFiles(dir = "app/api", segments: string[] = ["", "api"]): Promise<RouteFile[]> {
  const out: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await routeFiles(p, [...segments, entry.name])));
    else if (entry.name === "route.ts" && !(p in NOT_ENDPOINTS)) {
      const mod = await import(pathToFileURL(path.resolve(p)).href);
      const methods = METHODS.filter((m) => typeof mod[m] === "function").map((m) => m.toLowerCase());
      const last = segments.at(-1)!;
      const catchAll = /^\[\.\.\.\w+\]$/.test(last);
      const parts = (catchAll ? segments.slice(0, -1) : segments)
        .filter((s) => !/^\(.*\)$/.test(s))
        .map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"));
      out.push({ file: p, path: parts.join("/"), catchAll, methods });
    }
  }
  return out;
}

/** Route files (and their methods) that the document does not describe. */
function undocumented(doc: Json, files: RouteFile[]): string[] {
  const missing: string[] = [];
  for (const f of files) {
    for (const m of f.methods) {
      const found = f.catchAll
        ? Object.entries(doc.paths).some(([p, ops]) => p.startsWith(`${f.path}/`) && (ops as Json)[m])
        : doc.paths[f.path]?.[m];
      if (!found) missing.push(`${m.toUpperCase()} ${f.path}${f.catchAll ? "/…" : ""} (${f.file})`);
    }
  }
  return missing;
}

let teardown: () => Promise<void>;
let files: RouteFile[];
const doc = buildOpenApiDocument() as Json;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  files = await routeFiles();
});
after(() => teardown());

test("every route.ts under app/api and each of its methods is in the OpenAPI document", () => {
  assert.ok(files.length >= 20, `found ${files.length} route files`);
  assert.deepEqual(undocumented(doc, files), []);
  // The check bites: dropping one registry entry is reported.
  const without = buildOpenApiDocument(
    apiRoutes.filter((r) => !(r.method === "post" && r.path.endsWith("/jobs/{job_id}/cancel"))),
  );
  assert.deepEqual(undocumented(without, files), [
    `POST /api/silicon-mark/v1/jobs/{job_id}/cancel (app/api/silicon-mark/v1/jobs/[job_id]/cancel/route.ts)`,
  ]);
});

test("every documented operation exists as a route handler", () => {
  for (const [p, ops] of Object.entries(doc.paths as Json)) {
    for (const method of Object.keys(ops)) {
      const file = files.find((f) => (f.catchAll ? p.startsWith(`${f.path}/`) : f.path === p));
      assert.ok(file, `${p}: no route.ts`);
      assert.ok(
        file.methods.includes(method),
        `${method.toUpperCase()} ${p}: ${file.file} exports no ${method.toUpperCase()}`,
      );
    }
  }
});

function resolvePointer(root: Json, ref: string): unknown {
  assert.ok(ref.startsWith("#/"), `only local refs: ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Json)[key] : undefined), root);
}

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === "object") {
    visit(node as Json);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

test("the document is structurally valid OpenAPI 3.1", () => {
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(typeof doc.info.title, "string");
  assert.equal(typeof doc.info.version, "string");
  const tagNames = new Set((doc.tags as Json[]).map((t) => t.name));
  const schemes = new Set(Object.keys(doc.components.securitySchemes));
  const ids = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths as Json)) {
    assert.match(p, /^\//);
    const placeholders = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [method, op] of Object.entries(ops as Json)) {
      const where = `${method.toUpperCase()} ${p}`;
      assert.ok(["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method), where);
      assert.ok(op.operationId && !ids.has(op.operationId), `${where}: unique operationId`);
      ids.add(op.operationId);
      assert.ok(op.summary, `${where}: summary`);
      for (const t of op.tags) assert.ok(tagNames.has(t), `${where}: tag ${t} declared`);
      for (const req of op.security ?? [])
        for (const name of Object.keys(req)) assert.ok(schemes.has(name), `${where}: security scheme ${name}`);
      const params = (op.parameters ?? []) as Json[];
      const pathParams = params.filter((x) => x.in === "path");
      assert.deepEqual(
        pathParams.map((x) => x.name).sort(),
        placeholders,
        `${where}: path parameters match the template`,
      );
      for (const x of pathParams) assert.equal(x.required, true, `${where}: ${x.name} required`);
      for (const x of params) {
        assert.ok(
          ["query", "path", "header", "cookie"].includes(x.in) && x.name && x.schema,
          `${where}: parameter ${x.name}`,
        );
      }
      const names = params.map((x) => `${x.in}:${x.name}`);
      assert.equal(new Set(names).size, names.length, `${where}: no duplicate parameters`);
      const statuses = Object.keys(op.responses);
      assert.ok(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${where}: a success response`,
      );
      for (const s of statuses) assert.match(s, /^[1-5]\d\d$/);
      if (op.requestBody) assert.ok(Object.keys(op.requestBody.content).length, `${where}: body media type`);
    }
  }
  let refs = 0;
  walk(doc, (n) => {
    if (typeof n.$ref === "string") {
      refs++;
      assert.ok(resolvePointer(doc, n.$ref) !== undefined, `unresolved $ref ${n.$ref}`);
    }
  });
  assert.ok(refs > 50, "error responses and headers are shared components");
});

test("operationIds are the registry's own names: unique, camelCase, readable", () => {
  const ids = apiRoutes.map((r) => r.operationId);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    "duplicate operationIds",
  );
  for (const id of ids) assert.match(id, /^[a-z]+(?:[A-Z][a-z0-9]*)*$/, `${id} is camelCase`);
  const byRoute = (method: string, p: string) => doc.paths[`${V1}${p}`][method].operationId;
  assert.equal(byRoute("get", "/jobs"), "listJobs");
  assert.equal(byRoute("get", "/jobs/{job_id}"), "getJob");
  assert.equal(byRoute("post", "/jobs"), "createJob");
  assert.equal(byRoute("post", "/jobs/{job_id}/cancel"), "cancelJob");
  assert.equal(byRoute("delete", "/jobs/delete"), "deleteJob");
});

test("every operation documents its client errors, or says why it has none", () => {
  for (const [p, ops] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(ops as Json)) {
      const clientErrors = Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s));
      assert.ok(
        clientErrors.length || op["x-no-client-errors"],
        `${method.toUpperCase()} ${p}: a 4xx response or x-no-client-errors`,
      );
    }
  }
  const cancel = doc.paths[`${V1}/jobs/{job_id}/cancel`].post.responses;
  assert.deepEqual(cancel["404"], { $ref: "#/components/responses/Error404" });
  assert.deepEqual(doc.components.responses.Error404.content["application/json"].schema, {
    $ref: "#/components/schemas/Error",
  });
  assert.ok(doc.paths[`${V1}/jobs`].post.responses["413"], "JSON bodies have a size limit");
  assert.ok(doc.info.license.name && doc.info.license.identifier);
  for (const tag of doc.tags as Json[]) assert.ok(tag.description, `tag ${tag.name} described`);
});

test("the document reuses the handlers' zod schemas (limits and enums come through)", () => {
  const create = doc.paths[`${V1}/jobs`].post.requestBody.content["application/json"].schema;
  assert.equal(create.properties.name.maxLength, 60);
  assert.equal(create.properties.node_count.maximum, 256);
  const list = doc.paths[`${V1}/jobs`].get.parameters as Json[];
  assert.ok(list.find((x) => x.name === "sort_by")!.schema.enum.includes("created_at"));
  assert.equal(list.find((x) => x.name === "tags")!.explode, true);
  const token = doc.paths[`${V1}/token`].post.requestBody.content;
  assert.ok(token["application/x-www-form-urlencoded"]);
  assert.deepEqual(doc.paths[`${V1}/jobs/current/tasks/{task_id}/results`].post.security, [{ jobToken: [] }]);
});

test("GET /openapi.json serves the document, without credentials", async () => {
  const res = await api.get(`${V1}/openapi.json`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, JSON.parse(JSON.stringify(doc)));
});
