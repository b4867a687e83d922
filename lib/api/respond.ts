import { ApiError } from "./errors";
import { logger } from "../ops/logger";
import { errorBody } from "./error-body";
import { toJsonBytes } from "./json-bytes";

/**
 * A JSON answer that keeps its bytes: the listeners beside Next.js (lib/http/direct-routes.ts)
 * write them themselves instead of reading them back through the Response's stream. The body
 * hands over the same bytes when read (Next.js reads it): given as bytes, the Response would
 * copy them at once, wanted or not.
 */
export class JsonResponse extends Response {
  constructor(
    readonly jsonBytes: Buffer,
    init: ResponseInit,
  ) {
    super(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(jsonBytes);
          controller.close();
        },
      }),
      init,
    );
  }
}

/**
 * A JsonResponse's bytes, if this is one. By its field, not `instanceof`: the listeners are
 * installed from instrumentation.ts, which the build may bundle apart from the route handlers,
 * each with its own copy of this module and its class.
 */
export function jsonBytesOf(response: Response): Buffer | undefined {
  const bytes = (response as Partial<JsonResponse>).jsonBytes;
  return Buffer.isBuffer(bytes) ? bytes : undefined;
}

/** JSON response that serialises bigint ids as strings (SiliconMark ids are strings; lib/api/json-bytes.ts). */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const bytes = toJsonBytes(body);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  // API answers are per-caller data: never stored by a cache. A body under 1 KB is also not
  // gzipped (`no-transform`): `next start` streams route-handler bodies without their length,
  // so its compression cannot apply its own 1 KB threshold and gzipped every answer — 0.6 ms
  // of server and client CPU for a 49-byte badge count or an agent's receipt, to save nothing.
  headers.set("cache-control", bytes.length < 1024 ? "no-store, no-transform" : "no-store");
  return new JsonResponse(bytes, { ...init, headers });
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
