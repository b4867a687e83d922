import { withAgentApi } from "@/lib/agent/with-agent-api";
import { json } from "@/lib/api/respond";
import { parseJson } from "@/lib/api/parse";
import { registerNodeSchema } from "@/lib/agent/schemas";
import { registerNode } from "@/lib/agent/service";

// A node joins the job (201), or finds its existing task again on retry (200). The job row may
// be a shared, recent read: registration checks it again under the job's lock.
export const POST = withAgentApi(
  async ({ req, db, job }) => {
    const { created, task } = await registerNode(db, job, await parseJson(registerNodeSchema, req));
    return json(task, { status: created ? 201 : 200 });
  },
  { cached: true },
);
