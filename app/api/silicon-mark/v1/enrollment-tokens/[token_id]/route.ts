// DELETE /enrollment-tokens/{token_id} – revoke: no more enrollments with it (enrolled machines stay)
import { withApi } from "@/lib/api/with-api";
import { parseWith } from "@/lib/api/parse";
import { enrollmentTokenIdParamSchema } from "@/lib/enrollment/schemas";
import { revokeEnrollmentToken } from "@/lib/enrollment/tokens";

export const DELETE = withApi<{ token_id: string }>(async ({ params, db, caller }) =>
  revokeEnrollmentToken(db, caller, parseWith(enrollmentTokenIdParamSchema, params).token_id),
);
