/** The documented error body `{"error":{"code","message","details"?,"request_id"}}`. */
export function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }), request_id: requestId } };
}
