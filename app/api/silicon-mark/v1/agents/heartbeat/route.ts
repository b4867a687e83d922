// POST /agents/heartbeat – an enrolled machine's agent reports idle or busy
import { parseJson } from "@/lib/api/parse";
import { agentHeartbeatSchema } from "@/lib/enrollment/schemas";
import { agentHeartbeat } from "@/lib/enrollment/agents";
import { withMachineApi } from "@/lib/enrollment/machine-api";

export const POST = withMachineApi(async ({ req, db, machine }) =>
  agentHeartbeat(db, machine, (await parseJson(agentHeartbeatSchema, req)).state),
);
