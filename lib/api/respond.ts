import { ApiError } from "./errors";
import { logger } from "../ops/logger";
import { errorBody } from "./error-body";

/** JSON response that serialises bigint ids as strings (SiliconMark ids are strings). */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const text = JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
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
