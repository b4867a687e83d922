import { getDb, type Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { resolveCaller } from "../auth/resolve-caller";
import { consume, RateLimitedError, retryAfterSeconds, type Quota } from "../ratelimit/limiter";
import { apiPolicy, type ClientKind } from "../ratelimit/policy";
import { logger } from "../ops/logger";
import { recordRequest, requestMetrics } from "../ops/request-metrics";
import { clientIp } from "./client-ip";
import { json, toErrorResponse } from "./respond";
import { requestIdOf } from "./request-id";

export interface ApiContext<P> {
  req: Request;
  url: URL;
  db: Db;
  params: P;
  requestId: string;
}

/** Who a request counts against for rate limits, and how it is named in the request log. */
export interface ApiClient {
  kind: ClientKind;
  id: string;
  log: Record<string, unknown>;
}

/** Establishes the client of a request (or throws 401) and what the handler gets to know. */
export type Authenticator<A> = (ctx: ApiContext<unknown>) => Promise<{ client: ApiClient; auth: A }>;

type RouteContext<P> = { params: Promise<P> };

export { requestIdOf };

export function ipClient(req: Request): ApiClient {
  const ip = clientIp(req.headers);
  return { kind: "ip", id: ip, log: { ip } };
}

/**
 * The request's URL with the host the client addressed: `X-Forwarded-Host` (a proxy's), else
 * `Host`. `next start` builds a handler's URL from its own listening address (localhost and
 * its port), and report links made from that pointed nowhere a client could follow; the
 * README's configuration table promises the request's host when NEXTAUTH_URL is unset.
 * The scheme is already the client's (`X-Forwarded-Proto`, lib/http/direct-routes.ts).
 */
export function addressedUrl(req: Request): URL {
  const url = new URL(req.url);
  const host = (req.headers.get("x-forwarded-host") ?? req.headers.get("host"))?.split(",")[0].trim();
  if (!host) return url;
  try {
    // Parsed on its own, so that a host without a port means the scheme's default port (the
    // `host` setter would keep the old one) and anything more than a host is refused.
    const addressed = new URL(`${url.protocol}//${host}`);
    if (addressed.pathname !== "/" || addressed.username || addressed.password || addressed.search || addressed.hash)
      return url;
    url.hostname = addressed.hostname;
    url.port = addressed.port;
  } catch {
    /* not a host: the URL as it came */
  }
  return url;
}

/** /jobs/123/cancel → /jobs/{job_id}/cancel: low-cardinality names for logs and metrics. */
function routeTemplate(pathname: string, params: Record<string, unknown>): string {
  let path = pathname;
  const names = new Map<string, string>();
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === "string") names.set(encodeURIComponent(v), k);
    else if (Array.isArray(v)) path = [...path.split("/").slice(0, -v.length), `{...${k}}`].join("/"); // catch-all tail
  }
  if (!names.size) return path;
  return path
    .split("/")
    .map((seg) => (names.has(seg) ? `{${names.get(seg)}}` : seg))
    .join("/");
}

async function limit(req: Request, route: string, client: ApiClient): Promise<Quota | undefined> {
  const policy = apiPolicy(req.method, route, client.kind);
  if (!policy) return undefined;
  const quota = await consume(policy, `${client.kind}:${client.id}`);
  if (quota.exceeded) {
    requestMetrics().rateLimited.inc({ policy: policy.name });
    throw new RateLimitedError(quota);
  }
  return quota;
}

function setRateLimitHeaders(res: Response, quota: Quota): void {
  res.headers.set("x-ratelimit-limit", String(quota.limit));
  res.headers.set("x-ratelimit-remaining", String(quota.remaining));
  res.headers.set("x-ratelimit-reset", String(Math.ceil(quota.resetAt / 1000)));
  if (res.status === 429) res.headers.set("retry-after", String(retryAfterSeconds(quota)));
}

/**
 * Every API route handler is wrapped here, once: request id, database, authentication (by
 * the given authenticator), rate limit per client, error mapping, the request log line and
 * latency metrics. Handlers return a Response or a value to send as JSON 200.
 */
export function apiRoute<P, A>(authenticate: Authenticator<A>, handler: (ctx: ApiContext<P> & A) => Promise<unknown>) {
  return async (req: Request, routeCtx?: RouteContext<P>): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const url = addressedUrl(req);
    const params = ((await routeCtx?.params) ?? {}) as P;
    const route = routeTemplate(url.pathname, params as Record<string, unknown>);
    let client = ipClient(req);
    let quota: Quota | undefined;
    let res: Response;
    try {
      const ctx: ApiContext<P> = { req, url, db: await getDb(), params, requestId };
      let auth: A;
      try {
        ({ client, auth } = await authenticate(ctx as ApiContext<unknown>));
      } finally {
        // Failed authentication counts against the address, so guessing tokens is limited too.
        quota = await limit(req, route, client);
      }
      const out = await handler({ ...ctx, ...auth });
      res = out instanceof Response ? out : json(out);
    } catch (err) {
      if (err instanceof RateLimitedError) quota = err.quota;
      res = toErrorResponse(err, requestId);
    }
    if (quota) setRateLimitHeaders(res, quota);
    return finish(req, res, { requestId, route, started, caller: client.log });
  };
}

/** Request id, log line and latency of every API response, including probes'. */
export function finish(
  req: Request,
  res: Response,
  o: { requestId: string; route: string; started: number; caller: Record<string, unknown> },
): Response {
  res.headers.set("x-request-id", o.requestId);
  const durationMs = performance.now() - o.started;
  recordRequest(req.method, o.route, res.status, durationMs);
  const log = logger();
  const level = res.status >= 500 ? "error" : "info";
  if (log.isLevelEnabled(level)) {
    log[level](
      {
        request_id: o.requestId,
        method: req.method,
        route: o.route,
        status: res.status,
        duration_ms: Math.round(durationMs * 100) / 100,
        caller: o.caller,
      },
      "request",
    );
  }
  return res;
}

/** Endpoints open to anyone (sign-in, server check): rate-limited per client address. */
export function withPublicApi<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<unknown>) {
  return apiRoute<P, object>(async (ctx) => ({ client: ipClient(ctx.req), auth: {} }), handler);
}

/** User endpoints: resolves the caller (bearer token or session) or 401; limited per user. */
export function withApi<P = Record<string, never>>(
  handler: (ctx: ApiContext<P> & { caller: Caller }) => Promise<unknown>,
) {
  return apiRoute<P, { caller: Caller }>(async (ctx) => {
    const caller = await resolveCaller(ctx.db, ctx.req);
    return {
      client: { kind: "user", id: String(caller.userId), log: { user_id: caller.userId, role: caller.role } },
      auth: { caller },
    };
  }, handler);
}

/**
 * Public endpoints that also serve signed-in callers (e.g. the server check): the caller when
 * credentials were sent and valid, else null; limited per user or per address.
 */
export function withOptionalCallerApi<P = Record<string, never>>(
  handler: (ctx: ApiContext<P> & { caller: Caller | null }) => Promise<unknown>,
) {
  return apiRoute<P, { caller: Caller | null }>(async (ctx) => {
    const sendsCredentials =
      ctx.req.headers.has("authorization") || /next-auth\.session-token/.test(ctx.req.headers.get("cookie") ?? "");
    if (!sendsCredentials) return { client: ipClient(ctx.req), auth: { caller: null } };
    const caller = await resolveCaller(ctx.db, ctx.req);
    return {
      client: { kind: "user", id: String(caller.userId), log: { user_id: caller.userId, role: caller.role } },
      auth: { caller },
    };
  }, handler);
}
