/**
 * Typed domain errors. Services throw these; `toErrorResponse` (lib/api/respond.ts) is the
 * one place that turns them into the documented body
 * `{"error":{"code","message","details"?,"request_id"}}` and a status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(400, "PARAMETER_INCORRECT_VALUE", message, details);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = "Invalid or expired token") {
    super(401, "CLIENT_TOKEN_INVALID", message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(message = "Permission denied") {
    super(403, "PERMISSION_DENIED", message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, "RESOURCE_NOT_FOUND", message);
  }
}

export class JobNotFoundError extends NotFoundError {
  constructor(id: string | bigint) {
    super(`Job with id ${id} not found`);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, code = "RESOURCE_ALREADY_EXISTS") {
    super(409, code, message);
  }
}

/** The job's state does not allow the operation (e.g. deleting a running job). */
export class InvalidStateError extends ApiError {
  constructor(message: string, status = 400) {
    super(status, "INVALID_JOB_STATE", message);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(message: string) {
    super(413, "PAYLOAD_TOO_LARGE", message);
  }
}

/** A body in a format the endpoint does not take (JSON endpoints want application/json). */
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message: string) {
    super(415, "UNSUPPORTED_MEDIA_TYPE", message);
  }
}
