import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { ROUTE_METHODS, type HttpMethod } from "../api/route-methods";
import { jsonBytesOf, toErrorResponse } from "../api/respond";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./security-headers";
import { addRequestHook } from "./request-hooks";
import { encodeForClient } from "./compress";

/**
 * Route handlers served straight from Node's HTTP server, beside Next.js in the same process:
 * the same handlers, services and database, without Next.js's routing, the `proxy.ts` pass and
 * its conversion of requests and answers (docs/architecture.md, "The agent path"). The
 * agent protocol (lib/http/agent-listener.ts) and the dashboard's hottest reads
 * (lib/http/read-listener.ts) go this way.
 *
 * What Next.js would add is added here: the API's Content-Security-Policy and the static
 * security headers (lib/http/security-headers.ts), and Brotli or gzip for a client that asks
 * (./compress.ts); the peer-address stamp is a hook installed before these. A method the route
 * does not serve is left to Next.js, whose proxy answers it in the API's error format (405).
 */
// Each route file types its own params; the listener hands every one the params it matched.
type RouteHandler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;
export type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

export interface DirectRoute {
  /** As in ROUTE_METHODS, e.g. `/api/silicon-mark/v1/jobs/{job_id}`. */
  template: string;
  /** The route file. */
  load: () => Promise<RouteModule>;
  /** A pattern per path parameter (default: one segment). Narrower ones leave the rest to Next.js. */
  params?: Record<string, string>;
}

export interface DirectMatch {
  load: () => Promise<RouteModule>;
  method: HttpMethod;
  params: Record<string, string>;
}

/**
 * The route file's module, imported once. Each `import()` of a bundled route goes through the
 * bundler's chunk loader again: a registration took 4.1–4.4 ms of server CPU with it and
 * 2.3–2.5 ms without (docs/benchmark-history.md). A failed import is tried again on the next
 * request.
 */
function loadOnce(load: () => Promise<RouteModule>): () => Promise<RouteModule> {
  let loaded: Promise<RouteModule> | null = null;
  return () =>
    (loaded ??= load().catch((err: unknown) => {
      loaded = null;
      throw err;
    }));
}

/** A matcher for these routes: the route a request is for, or null to leave it to Next.js. */
export function routeMatcher(routes: DirectRoute[]): (method?: string, url?: string) => DirectMatch | null {
  const compiled = routes.map((r) => ({
    load: loadOnce(r.load),
    methods: (ROUTE_METHODS[r.template] ?? []) as string[],
    pattern: new RegExp(
      `^${r.template.replace(/\{(\w+)\}/g, (_m, name: string) => `(?<${name}>${r.params?.[name] ?? "[^/]+"})`)}$`,
    ),
  }));
  // Every request of the server passes here: one string test sends most of them on to Next.js.
  const templates = routes.map((r) => r.template.split("{")[0]);
  let prefix = templates[0] ?? "";
  for (const t of templates) while (!t.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return (method, url) => {
    if (!method || !url || !url.startsWith(prefix)) return null;
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    for (const r of compiled) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      if (!r.methods.includes(method)) return null;
      const params: Record<string, string> = {};
      try {
        for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
      } catch {
        return null; // a malformed escape: Next.js answers it
      }
      return { load: r.load, method: method as HttpMethod, params };
    }
    return null;
  };
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}

/**
 * The request's URL as a handler sees it. The scheme is Next.js's rule
 * (next/dist/server/base-server.js): `X-Forwarded-Proto` naming https, else the socket's own
 * TLS. It decides the session cookie's name (`__Secure-` over https, lib/auth/resolve-caller.ts).
 */
export function requestUrl(req: IncomingMessage): string {
  const proto = req.headers["x-forwarded-proto"];
  const https = proto
    ? String(proto).includes("https")
    : !!(req.socket as { encrypted?: boolean } | undefined)?.encrypted;
  return `${https ? "https" : "http"}://${req.headers.host ?? "localhost"}${req.url}`;
}

const RESPONSE_SECURITY_HEADERS: Record<string, string> = {
  ...Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value])),
  "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
};

/** Runs the route's handler for this request and writes its answer. */
export async function serveDirect(req: IncomingMessage, res: ServerResponse, route: DirectMatch) {
  let response: Response;
  try {
    const handler = (await route.load())[route.method]!;
    const request = new Request(requestUrl(req), {
      method: route.method,
      headers: requestHeaders(req),
      body: route.method === "GET" ? undefined : (Readable.toWeb(req) as ReadableStream),
      duplex: "half",
    } as RequestInit);
    response = await handler(request, { params: Promise.resolve(route.params) as Promise<never> });
  } catch (err) {
    // The handlers map their own errors (lib/api/with-api.ts); this is the last resort, logged
    // and answered like any unhandled error.
    const requestId = crypto.randomUUID();
    response = toErrorResponse(err, requestId);
    response.headers.set("x-request-id", requestId);
  }
  try {
    const headers: Record<string, string> = { ...RESPONSE_SECURITY_HEADERS };
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const raw = jsonBytesOf(response) ?? Buffer.from(await response.arrayBuffer());
    const body = encodeForClient(req, raw, headers);
    headers["content-length"] = String(body.length);
    // An answer before the whole body arrived (413): the rest of it is never read, so this
    // connection cannot carry another request.
    if (!req.complete) headers["connection"] = "close";
    res.writeHead(response.status, headers).end(body);
  } catch {
    res.destroy(); // the client went away mid-answer
  }
}

/**
 * Installs a matcher's routes as a request hook (lib/http/request-hooks.ts), from
 * instrumentation.ts after the peer-address stamp: hooks run in the order they were added, so
 * every request served here is already stamped. A request served here never reaches Next.js.
 */
export function installDirectRoutes(name: string, match: ReturnType<typeof routeMatcher>): void {
  addRequestHook(name, (req, res) => {
    const route = match(req.method, req.url);
    if (!route) return false;
    void serveDirect(req, res, route);
    return true;
  });
}
