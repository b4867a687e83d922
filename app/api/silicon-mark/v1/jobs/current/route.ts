import { withAgentApi } from "@/lib/agent/with-agent-api";
import { currentJobView } from "@/lib/agent/service";

// Agent-only (job token): the job's configuration and benchmark sequence.
export const GET = withAgentApi(async ({ job }) => currentJobView(job));
