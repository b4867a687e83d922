import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { methodGuard } from "../../lib/api/method-guard";

/**
 * Calls the app's real route handlers the way Next.js routes them (app/api/**\/route.ts,
 * static segments before [dynamic] ones), with real Request objects. Tests read like HTTP
 * without building the whole app for every run.
 */
interface Route {
  segments: string[];
  file: string;
}

const API_ROOT = path.resolve("app/api");

function collectRoutes(dir: string, prefix: string[] = []): Route[] {
  const out: Route[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...collectRoutes(path.join(dir, entry.name), [...prefix, entry.name]));
    else if (entry.name === "route.ts") out.push({ segments: prefix, file: path.join(dir, entry.name) });
  }
  return out;
}

const routes = collectRoutes(API_ROOT).sort((a, b) => specificity(b) - specificity(a));

function specificity(r: Route): number {
  return r.segments.reduce((s, seg, i) => s + (seg.startsWith("[") ? 0 : 1) * 2 ** (20 - i), 0);
}

function match(route: Route, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i];
    const catchAll = seg.match(/^\[\.\.\.(\w+)\]$/);
    if (catchAll) {
      if (i >= parts.length) return null;
      params[catchAll[1]] = parts.slice(i);
      return params;
    }
    if (i >= parts.length) return null;
    const dyn = seg.match(/^\[(\w+)\]$/);
    if (dyn) params[dyn[1]] = decodeURIComponent(parts[i]);
    else if (seg !== parts[i]) return null;
  }
  return route.segments.length === parts.length ? params : null;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim (for malformed-body tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

/** Dispatches a Request to the matching route handler, as Next.js would (after proxy.ts). */
export async function routeRequest(req: Request): Promise<Response> {
  const guarded = methodGuard(req);
  if (guarded) return guarded;
  const url = new URL(req.url);
  const parts = url.pathname
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean);
  for (const route of routes) {
    const params = url.pathname.startsWith("/api/") ? match(route, parts) : null;
    if (!params) continue;
    const mod = await import(pathToFileURL(route.file).href);
    // Next.js answers HEAD with the GET handler, without the body.
    const handler = mod[req.method] ?? (req.method === "HEAD" ? mod.GET : undefined);
    if (!handler) return new Response(null, { status: 405 });
    const res: Response = await handler(req, { params: Promise.resolve(params) });
    if (req.method !== "HEAD") return res;
    await res.body?.cancel();
    return new Response(null, { status: res.status, headers: res.headers });
  }
  return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: `No route for ${url.pathname}` } }), {
    status: 404,
  });
}

/** fetch() that never leaves the process: for agent clients in tests. */
export const inProcessFetch: typeof fetch = async (input, init) => routeRequest(new Request(input, init));

export async function call<T = any>(method: string, urlPath: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(urlPath, "http://localhost");
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set("content-type", "application/json");
  }
  const res = await routeRequest(new Request(url, { method, headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* non-JSON body (PDF, CSV, event stream) */
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const api = {
  get: <T = any>(p: string, o?: CallOptions) => call<T>("GET", p, o),
  post: <T = any>(p: string, o?: CallOptions) => call<T>("POST", p, o),
  patch: <T = any>(p: string, o?: CallOptions) => call<T>("PATCH", p, o),
  put: <T = any>(p: string, o?: CallOptions) => call<T>("PUT", p, o),
  delete: <T = any>(p: string, o?: CallOptions) => call<T>("DELETE", p, o),
};

export const V1 = "/api/silicon-mark/v1";
