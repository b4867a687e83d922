// GET /agents/work – long-poll: the next job aimed at this enrolled machine, or {job: null} after `wait` s
import { parseQuery } from "@/lib/api/parse";
import { agentWorkQuerySchema } from "@/lib/enrollment/schemas";
import { waitForWork } from "@/lib/enrollment/agents";
import { withMachineApi } from "@/lib/enrollment/machine-api";

export const GET = withMachineApi(async ({ req, url, db, machine }) =>
  waitForWork(db, machine, parseQuery(agentWorkQuerySchema, url).wait, req.signal),
);
