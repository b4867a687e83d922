import { installDirectRoutes, routeMatcher, type DirectRoute } from "./direct-routes";

/**
 * The agent protocol (`/jobs/current…`, job token) served beside Next.js
 * (lib/http/direct-routes.ts). Next.js's routing, the `proxy.ts` pass and its response
 * conversion were about half of the CPU of an agent's request (docs/benchmark-history.md,
 * "Ingest and many nodes: dated runs": 3.5 against 1.6 ms a single upload), and agents send
 * most of a busy server's requests.
 * `AGENT_LISTENER=next` leaves them to Next.js.
 */
const V1 = "/api/silicon-mark/v1";
const TASK = `${V1}/jobs/current/tasks/{task_id}`;

const AGENT_ROUTES: DirectRoute[] = [
  { template: `${V1}/jobs/current`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/route") },
  { template: `${V1}/jobs/current/tasks`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/route") },
  {
    template: `${TASK}/results`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/results/route"),
  },
  { template: `${TASK}/logs`, load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/logs/route") },
  {
    template: `${TASK}/heartbeat`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/heartbeat/route"),
  },
  {
    template: `${TASK}/batch`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/batch/route"),
  },
  {
    template: `${TASK}/finish`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/finish/route"),
  },
  {
    template: `${TASK}/peers`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/current/tasks/[task_id]/peers/route"),
  },
];

/** The agent route this request is for, when this listener serves it; null leaves it to Next.js. */
export const matchAgentRoute = routeMatcher(AGENT_ROUTES);

export function installAgentListener(): void {
  installDirectRoutes("agent-listener", matchAgentRoute);
}
