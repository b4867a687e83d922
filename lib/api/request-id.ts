import { randomUUID } from "node:crypto";

/** A caller-supplied X-Request-Id when well-formed (to trace across services), else a new one. */
export function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}
