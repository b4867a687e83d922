import { ApiError } from "./errors";
import { logger } from "../ops/logger";
import { errorBody } from "./error-body";

/**
 * JSON with any BigInt as a string. The serialisers already give ids as strings, so the plain
 * (fast) stringify is tried first; a replacer function makes V8 visit every value through it,
 * about half as slow again on a page of jobs.
 */
function toJsonText(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }
}

/** JSON response that serialises bigint ids as strings (SiliconMark ids are strings). */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const text = toJsonText(body);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  // API answers are per-caller data: never stored by a cache. A body under 1 KB is also not
  // gzipped (`no-transform`): `next start` streams route-handler bodies without their length,
  // so its compression cannot apply its own 1 KB threshold and gzipped every answer — 0.6 ms
  // of server and client CPU for a 49-byte badge count or an agent's receipt, to save nothing.
  headers.set("cache-control", Buffer.byteLength(text) < 1024 ? "no-store, no-transform" : "no-store");
  return new Response(text, { ...init, headers });
}

export { errorBody };

/** The single mapping from a thrown error to the documented error response. */
export function toErrorResponse(err: unknown, requestId: string): Response {
  if (err instanceof ApiError) {
    return json(errorBody(err.code, err.message, requestId, err.details), { status: err.status });
  }
  logger().error({ request_id: requestId, err }, "unhandled error");
  return json(errorBody("INTERNAL_ERROR", "Internal server error", requestId), { status: 500 });
}
