/**
 * The methods each API route file exports (test/method-guard.test.ts proves this table matches
 * app/api/**\/route.ts). The proxy answers other methods from it, before Next.js would reply
 * with a bare 405 (see lib/api/method-guard.ts); it is kept free of the handlers' imports so
 * the proxy stays light.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const V1 = "/api/silicon-mark/v1";
const TASK = `${V1}/jobs/current/tasks/{task_id}`;

export const ROUTE_METHODS: Record<string, HttpMethod[]> = {
  "/api/auth/{...nextauth}": ["GET", "POST"],
  "/api/health/live": ["GET"],
  "/api/health/ready": ["GET"],
  "/api/metrics": ["GET"],
  [`${V1}/benchmarks`]: ["GET"],
  [`${V1}/compare`]: ["GET"],
  [`${V1}/customers`]: ["GET", "POST"],
  [`${V1}/jobs`]: ["GET", "POST", "DELETE"],
  [`${V1}/jobs/{job_id}`]: ["GET", "PATCH"],
  [`${V1}/jobs/{job_id}/cancel`]: ["POST"],
  [`${V1}/jobs/{job_id}/logs`]: ["GET"],
  [`${V1}/jobs/{job_id}/performance`]: ["GET"],
  [`${V1}/jobs/{job_id}/report.pdf`]: ["GET"],
  [`${V1}/jobs/{job_id}/results`]: ["GET"],
  [`${V1}/jobs/{job_id}/results.tar.gz`]: ["GET"],
  [`${V1}/jobs/{job_id}/tasks/{task_id}/report.pdf`]: ["GET"],
  [`${V1}/jobs/current`]: ["GET"],
  [`${V1}/jobs/current/tasks`]: ["POST"],
  [`${TASK}/finish`]: ["POST"],
  [`${TASK}/heartbeat`]: ["POST"],
  [`${TASK}/logs`]: ["POST"],
  [`${TASK}/peers`]: ["GET"],
  [`${TASK}/results`]: ["POST"],
  [`${V1}/jobs/delete`]: ["DELETE"],
  [`${V1}/jobs/export`]: ["GET"],
  [`${V1}/jobs/stats`]: ["GET"],
  [`${V1}/jobs/summary`]: ["GET"],
  [`${V1}/jobs/tags`]: ["GET"],
  [`${V1}/machines`]: ["GET"],
  [`${V1}/machines/heatmap`]: ["GET"],
  [`${V1}/machines/{machine_id}`]: ["GET"],
  [`${V1}/machines/{machine_id}/annotations`]: ["POST"],
  [`${V1}/metrics`]: ["GET"],
  [`${V1}/openapi.json`]: ["GET"],
  [`${V1}/results/{result_id}`]: ["GET"],
  [`${V1}/results/{result_id}/job`]: ["GET"],
  [`${V1}/server`]: ["GET"],
  [`${V1}/tasks`]: ["GET"],
  [`${V1}/tasks/{task_id}/results`]: ["GET"],
  [`${V1}/token`]: ["POST"],
  [`${V1}/users`]: ["GET", "POST"],
  [`${V1}/users/{user_id}`]: ["PATCH"],
  [`${V1}/webhooks`]: ["GET", "POST"],
  [`${V1}/webhooks/{webhook_id}`]: ["DELETE"],
  [`${V1}/webhooks/{webhook_id}/deliveries`]: ["GET"],
  [`${V1}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver`]: ["POST"],
  [`${V1}/webhooks/{webhook_id}/test`]: ["POST"],
};
