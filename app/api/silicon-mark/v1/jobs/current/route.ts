import { withAgentApi } from "@/lib/agent/with-agent-api";
import { currentJobView } from "@/lib/agent/service";

// Agent-only (job token): the job's configuration and benchmark sequence. All nodes of a job
// ask at once when it starts: they share one read, at most AGENT_JOB_CACHE_MS old.
export const GET = withAgentApi(async ({ job }) => currentJobView(job), { cached: true });
