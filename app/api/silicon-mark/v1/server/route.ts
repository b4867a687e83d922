import { withOptionalCallerApi } from "@/lib/api/with-api";
import { serverInfo } from "@/lib/ops/server-info";

// The server check: versions; with credentials also the caller's usage.
export const GET = withOptionalCallerApi(async ({ db, caller }) => serverInfo(db, caller));
