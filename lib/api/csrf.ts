import { ForbiddenError, UnsupportedMediaTypeError } from "./errors";
import { env } from "../config/env";

/**
 * Cross-site request forgery defence. A browser attaches the dashboard's session cookie to
 * requests another site makes it send — from another port on the same host even SameSite=Lax
 * cookies go along, since a port does not make a different site. Such requests can only be
 * "simple": no custom headers, a form content type. So:
 *
 * - a write authenticated by the session cookie must come from the dashboard's own pages:
 *   `Sec-Fetch-Site: same-origin` (or `none`: typed by the user), or, from browsers that do
 *   not send Fetch Metadata, an `Origin` equal to ours. Bearer-token and job-token clients
 *   send neither cookie nor browser headers and are not affected.
 * - JSON endpoints read only `application/json` bodies, which a cross-site form or no-cors
 *   fetch cannot send without a preflight we never grant.
 */
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function ownOrigins(req: Request): string[] {
  const origins = [new URL(req.url).origin];
  // Behind a proxy the request URL may name the internal host; NEXTAUTH_URL names the public one.
  const configured = env("NEXTAUTH_URL");
  if (configured) origins.push(new URL(configured).origin);
  return origins;
}

export function assertSameOriginWrite(req: Request): void {
  if (!UNSAFE_METHODS.has(req.method.toUpperCase())) return;
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin" || site === "none") return;
  const origin = req.headers.get("origin");
  if (!site && origin && ownOrigins(req).includes(origin)) return;
  throw new ForbiddenError(
    `Cross-site request refused: a session-cookie ${req.method} must come from this dashboard (Origin ${origin ?? "missing"}); API clients use a bearer token`,
  );
}

/** `application/json` or a `+json` type, with any parameters (charset). */
export function assertJsonContentType(req: Request): void {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json" || /^application\/[\w.-]+\+json$/.test(type)) return;
  throw new UnsupportedMediaTypeError(`Request body must be application/json (got ${type || "no Content-Type"})`);
}
