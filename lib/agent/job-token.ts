import { UnauthorizedError } from "../api/errors";

/** A verified job token: its signature and expiry hold; the job row is not read yet. */
export interface JobTokenClaim {
  jobId: bigint;
  token: string;
}

export function invalidJobToken(): UnauthorizedError {
  return new UnauthorizedError("Invalid or expired job token");
}
