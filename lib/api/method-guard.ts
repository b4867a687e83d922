import { errorBody } from "./error-body";
import { requestIdOf } from "./request-id";
import { ROUTE_METHODS, type HttpMethod } from "./route-methods";

interface RoutePattern {
  segments: string[];
  methods: HttpMethod[];
}

// Static segments win over {params}, as in Next.js routing (/jobs/export before /jobs/{job_id}).
const specificity = (p: RoutePattern) =>
  p.segments.reduce((s, seg, i) => s + (seg.startsWith("{") ? 0 : 2 ** (20 - i)), 0);
const patterns: RoutePattern[] = Object.entries(ROUTE_METHODS)
  .map(([path, methods]) => ({ segments: path.split("/").filter(Boolean), methods }))
  .sort((a, b) => specificity(b) - specificity(a));

function matches(pattern: string[], parts: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith("{...")) return parts.length > i;
    if (i >= parts.length) return false;
    if (!pattern[i].startsWith("{") && pattern[i] !== parts[i]) return false;
  }
  return pattern.length === parts.length;
}

/** The methods of the API route serving `pathname`, or null when no route does (a 404). */
export function routeMethods(pathname: string): HttpMethod[] | null {
  const parts = pathname.split("/").filter(Boolean);
  return patterns.find((p) => matches(p.segments, parts))?.methods ?? null;
}

/**
 * Runs before the route handlers (proxy.ts): a method the route does not export is a 405
 * METHOD_NOT_ALLOWED in the documented error shape with Allow and X-Request-Id, and OPTIONS a
 * 204 with the same headers — where Next.js would answer both itself, bare. Null: let the
 * request through (known method, or an unknown path for the catch-all's 404).
 */
export function methodGuard(req: Request): Response | null {
  const url = new URL(req.url);
  const methods = routeMethods(url.pathname);
  if (!methods) return null;
  const method = req.method.toUpperCase();
  if (methods.includes(method as HttpMethod) || (method === "HEAD" && methods.includes("GET"))) return null;
  const requestId = requestIdOf(req);
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const headers = { allow, "x-request-id": requestId };
  if (method === "OPTIONS") return new Response(null, { status: 204, headers });
  const body = errorBody(
    "METHOD_NOT_ALLOWED",
    `${method} is not allowed on ${url.pathname}; allowed: ${allow}`,
    requestId,
  );
  return new Response(JSON.stringify(body), {
    status: 405,
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}
