import { withOptionalCallerApi } from "@/lib/api/with-api";
import { serverInfo } from "@/lib/ops/server-info";

// Seed 001 check_server: versions; with credentials also the caller's usage.
export const GET = withOptionalCallerApi(async ({ db, caller }) => serverInfo(db, caller));
