import { installDirectRoutes, routeMatcher, type DirectRoute } from "./direct-routes";

/**
 * The dashboard's and API clients' most frequent reads — the jobs list, its stats and tags, a
 * job's detail, the tasks API and the fleet's JSON reads — served beside Next.js
 * (lib/http/direct-routes.ts). Next.js's routing, proxy pass, Fetch objects and streaming gzip
 * were the larger part of what these requests cost over their SQL (docs/performance-budget.md,
 * "Read path"). `READ_LISTENER=next` leaves them to Next.js.
 * Only GET: their writes (create, bulk delete, edit) stay on Next.js. The liveness probe too.
 */
const V1 = "/api/silicon-mark/v1";

const READ_ROUTES: DirectRoute[] = [
  { template: `${V1}/jobs`, load: () => import("@/app/api/silicon-mark/v1/jobs/route") },
  { template: `${V1}/jobs/stats`, load: () => import("@/app/api/silicon-mark/v1/jobs/stats/route") },
  { template: `${V1}/jobs/tags`, load: () => import("@/app/api/silicon-mark/v1/jobs/tags/route") },
  // Digits only: the static siblings (`/jobs/current`, `/jobs/summary`, …) are never taken for
  // an id, and a malformed id still gets Next.js's answer, which is the same handler's.
  {
    template: `${V1}/jobs/{job_id}`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/[job_id]/route"),
    params: { job_id: "\\d+" },
  },
  // The fleet's and the tasks API's reads: plain JSON, polled by the dashboard's Fleet and
  // Performance pages and by API clients, where Next.js's path was 1.5–2 ms of each request.
  { template: `${V1}/jobs/summary`, load: () => import("@/app/api/silicon-mark/v1/jobs/summary/route") },
  {
    template: `${V1}/jobs/{job_id}/results`,
    load: () => import("@/app/api/silicon-mark/v1/jobs/[job_id]/results/route"),
    params: { job_id: "\\d+" },
  },
  { template: `${V1}/tasks`, load: () => import("@/app/api/silicon-mark/v1/tasks/route") },
  { template: `${V1}/server`, load: () => import("@/app/api/silicon-mark/v1/server/route") },
  { template: `${V1}/machines`, load: () => import("@/app/api/silicon-mark/v1/machines/route") },
  { template: `${V1}/machines/heatmap`, load: () => import("@/app/api/silicon-mark/v1/machines/heatmap/route") },
  {
    template: `${V1}/machines/{machine_id}`,
    load: () => import("@/app/api/silicon-mark/v1/machines/[machine_id]/route"),
    params: { machine_id: "\\d+" },
  },
  { template: `${V1}/compare`, load: () => import("@/app/api/silicon-mark/v1/compare/route") },
  // Liveness: trivial, and the benchmark's framework floor (docs/performance-budget.md), which
  // must be taken on the path the reads it judges take, or their overhead would look smaller.
  { template: "/api/health/live", load: () => import("@/app/api/health/live/route") },
];

/** The read this request is, when this listener serves it (GET only); null leaves it to Next.js. */
const matchAny = routeMatcher(READ_ROUTES);
export const matchReadRoute: typeof matchAny = (method, url) => (method === "GET" ? matchAny(method, url) : null);

export function installReadListener(): void {
  installDirectRoutes("read-listener", matchReadRoute);
}
