import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { ROUTE_METHODS, type HttpMethod } from "../api/route-methods";
import { toErrorResponse } from "../api/respond";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./security-headers";
import { addRequestHook } from "./request-hooks";

/**
 * The agent protocol (`/jobs/current…`, job token) served straight from Node's HTTP server,
 * beside Next.js in the same process: the same route handlers, services and database, without
 * Next.js's routing, the `proxy.ts` pass and its response conversion. Those were about half of
 * the CPU of an agent's request (README "Ingest and many nodes": 3.5 against 1.6 ms a single
 * upload), and agents send most of a busy server's requests.
 *
 * What Next.js would add is added here: the API's Content-Security-Policy and the static
 * security headers (lib/http/security-headers.ts); the peer-address stamp is the hook before
 * this one. A method the route
 * does not serve is left to Next.js, whose proxy answers it in the API's error format (405).
 * Answers are not gzipped: they are a few hundred bytes.
 */
// Each route file types its own params; this listener hands every one the params it matched.
type RouteHandler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;
type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

const V1 = "/api/silicon-mark/v1";
const TASK = `${V1}/jobs/current/tasks/{task_id}`;

/** Each agent route: its template (as in ROUTE_METHODS) and its route file. */
const AGENT_ROUTES: { template: string; load: () => Promise<RouteModule> }[] = [
  { template: `${V1}/jobs/current`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/route") },
  { template: `${V1}/jobs/current/tasks`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/route") },
  {
    template: `${TASK}/results`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/results/route"),
  },
  { template: `${TASK}/logs`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/logs/route") },
  {
    template: `${TASK}/heartbeat`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/heartbeat/route"),
  },
  {
    template: `${TASK}/batch`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/batch/route"),
  },
  {
    template: `${TASK}/finish`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/finish/route"),
  },
  {
    template: `${TASK}/peers`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/peers/route"),
  },
];

const COMPILED = AGENT_ROUTES.map((r) => ({
  ...r,
  methods: ROUTE_METHODS[r.template] ?? [],
  pattern: new RegExp(`^${r.template.replace("{task_id}", "(?<task_id>[^/]+)")}$`),
}));

export interface AgentRouteMatch {
  load: () => Promise<RouteModule>;
  method: HttpMethod;
  params: Record<string, string>;
}

/** The agent route this request is for, when this listener serves it; null leaves it to Next.js. */
export function matchAgentRoute(method: string | undefined, url: string | undefined): AgentRouteMatch | null {
  if (!method || !url || !url.startsWith(`${V1}/jobs/current`)) return null;
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  for (const r of COMPILED) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    if (!(r.methods as string[]).includes(method)) return null;
    const params: Record<string, string> = {};
    try {
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
    } catch {
      return null; // a malformed escape: Next.js answers it
    }
    return { load: r.load, method: method as HttpMethod, params };
  }
  return null;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}

const RESPONSE_SECURITY_HEADERS: Record<string, string> = {
  ...Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value])),
  "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
};

/** Runs the route's handler for this request and writes its answer. */
export async function serveAgentRequest(req: IncomingMessage, res: ServerResponse, route: AgentRouteMatch) {
  let response: Response;
  try {
    const handler = (await route.load())[route.method]!;
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
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
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = { ...RESPONSE_SECURITY_HEADERS };
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
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
 * Installs the listener as a request hook (lib/http/request-hooks.ts), from instrumentation.ts
 * after the peer-address stamp: hooks run in the order they were added, so every request it
 * serves is already stamped. A request it serves never reaches Next.js.
 */
export function installAgentListener(): void {
  addRequestHook("agent-listener", (req, res) => {
    const route = matchAgentRoute(req.method, req.url);
    if (!route) return false;
    void serveAgentRequest(req, res, route);
    return true;
  });
}
