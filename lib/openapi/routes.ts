import { z } from "zod";
import { appendLogsSchema, finishTaskSchema, heartbeatSchema, peersAnswerSchema, peersQuerySchema, registerNodeSchema, taskIdParamSchema, uploadResultSchema } from "../agent/schemas";
import { bulkDeleteJobsQuerySchema, createJobSchema, deleteJobSchema, exportJobsQuerySchema, jobDetailQuerySchema, jobIdParamSchema, jobResultsQuerySchema, jobStatsQuerySchema, listJobsQuerySchema, tagAliasQueryShape, updateJobSchema } from "../jobs/schemas";
import { jobTaskParamSchema, resultsArchiveQuerySchema } from "../reports/schemas";
import { listTasksQuerySchema, taskIdPathSchema, taskResultsQuerySchema } from "../tasks/schemas";
import { resultIdParamSchema } from "../results/schemas";
import { logsQuerySchema } from "../jobs/logs";
import { liveSchema, metricsSchema, readySchema, serverInfoSchema } from "../ops/schemas";
import { compareQuerySchema } from "../compare/schemas";
import { listMachinesQuerySchema, machineHistoryQuerySchema, machineIdParamSchema, createAnnotationSchema, heatmapQuerySchema } from "../fleet/schemas";
import { createCustomerSchema, createUserSchema, listUsersQuerySchema, updateUserSchema, userIdParamSchema } from "../users/schemas";
import type { ApiRouteDoc } from "./registry";
import * as r from "./responses";

const V1 = "/api/silicon-mark/v1";
const TASK = `${V1}/jobs/current/tasks/{task_id}`;
const NEXT_AUTH_SESSION = "next-auth answers every GET of its session routes with 200 (an empty session when signed out)";
const PROBE = "probes take no input and no credentials: up or degraded (503), nothing a client can get wrong";

/**
 * Every API endpoint, one entry each. Adding a route.ts under app/api? Add its line here:
 * test/openapi.test.ts fails for any route (or method) that is not listed.
 */
export const apiRoutes: ApiRouteDoc[] = [
  // Auth
  { operationId: "createToken", method: "post", path: `${V1}/token`, tag: "Auth", summary: "OAuth2 password flow: a bearer access token", auth: "public", body: r.tokenFormSchema, bodyType: "form", response: r.tokenSchema, errors: [401, 429] },
  { operationId: "getSession", method: "get", path: "/api/auth/session", tag: "Auth", summary: "The dashboard's session (next-auth)", auth: "public", response: r.anyObject, noClientErrors: NEXT_AUTH_SESSION },
  { operationId: "getCsrfToken", method: "get", path: "/api/auth/csrf", tag: "Auth", summary: "CSRF token for the sign-in form (next-auth)", auth: "public", response: z.object({ csrfToken: z.string() }), noClientErrors: NEXT_AUTH_SESSION },
  { operationId: "signIn", method: "post", path: "/api/auth/callback/credentials", tag: "Auth", summary: "Dashboard sign-in with email and password (next-auth); sets the session cookie", auth: "public", body: z.object({ csrfToken: z.string(), email: z.string(), password: z.string() }), bodyType: "form", response: r.anyObject, errors: [401, 403] },
  { operationId: "signOut", method: "post", path: "/api/auth/signout", tag: "Auth", summary: "Dashboard sign-out (next-auth)", auth: "session", body: z.object({ csrfToken: z.string() }), bodyType: "form", response: r.anyObject, noClientErrors: "next-auth redirects (302) to its sign-out page when the CSRF token is missing" },

  // Jobs (docs/api-contract.md)
  { operationId: "createJob", method: "post", path: `${V1}/jobs`, tag: "Jobs", summary: "Create a job", auth: "user", body: createJobSchema, response: r.jobSchema, status: 201, errors: [409] },
  { operationId: "listJobs", method: "get", path: `${V1}/jobs`, tag: "Jobs", summary: "List jobs with filters, sorting and pagination", auth: "user", query: listJobsQuerySchema.extend(tagAliasQueryShape), response: r.jobListSchema },
  { operationId: "listJobTags", method: "get", path: `${V1}/jobs/tags`, tag: "Jobs", summary: "Unique tags of the caller's visible jobs", auth: "user", response: r.tagsSchema },
  { operationId: "getJobStats", method: "get", path: `${V1}/jobs/stats`, tag: "Jobs", summary: "Job statistics: underperforming and regressed job counts", auth: "user", query: jobStatsQuerySchema.extend(tagAliasQueryShape), response: r.statsSchema },
  { operationId: "getJob", method: "get", path: `${V1}/jobs/{job_id}`, tag: "Jobs", summary: "A job with its tasks and results", auth: "user", params: jobIdParamSchema, query: jobDetailQuerySchema, response: r.jobDetailSchema, errors: [404] },
  { operationId: "updateJob", method: "patch", path: `${V1}/jobs/{job_id}`, tag: "Jobs", summary: "Update name, description or tags", auth: "user", params: jobIdParamSchema, body: updateJobSchema, response: r.jobSchema, errors: [404, 409] },
  { operationId: "getJobResults", method: "get", path: `${V1}/jobs/{job_id}/results`, tag: "Jobs", summary: "Cluster-level results by benchmark", auth: "user", params: jobIdParamSchema, query: jobResultsQuerySchema, response: r.anyObject, errors: [404] },
  { operationId: "cancelJob", method: "post", path: `${V1}/jobs/{job_id}/cancel`, tag: "Jobs", summary: "Cancel a created, starting or running job", auth: "user", params: jobIdParamSchema, response: r.anyObject, errors: [404, 409] },
  { operationId: "getJobLogs", method: "get", path: `${V1}/jobs/{job_id}/logs`, tag: "Jobs", summary: "Node logs: tail, timestamps, follow (server-sent events)", auth: "user", params: jobIdParamSchema, query: logsQuerySchema, response: { mediaType: "text/plain", description: "Log lines (text/event-stream with follow=true)" }, errors: [404] },
  { operationId: "deleteJob", method: "delete", path: `${V1}/jobs/delete`, tag: "Jobs", summary: "Soft-delete a job", auth: "user", body: deleteJobSchema, response: r.anyObject, errors: [403, 404] },
  { operationId: "listBenchmarks", method: "get", path: `${V1}/benchmarks`, tag: "Jobs", summary: "The benchmark catalog", auth: "user", response: z.object({ benchmarks: z.array(r.anyObject) }) },

  // Tasks (SiliconMark Tasks API)
  { operationId: "listTasks", method: "get", path: `${V1}/tasks`, tag: "Tasks", summary: "List visible tasks with filters and pagination ({data, pagination{page, per_page, total, pages}})", auth: "user", query: listTasksQuerySchema, response: r.taskListSchema },
  { operationId: "getTaskResults", method: "get", path: `${V1}/tasks/{task_id}/results`, tag: "Tasks", summary: "A task's result summary: manufacturer GPU spec, machine and configuration ids, results", auth: "user", params: taskIdPathSchema, query: taskResultsQuerySchema, response: r.taskResultsSchema, errors: [404] },

  // Reports, archives, results and bulk operations (docs/api-contract.md)
  { operationId: "getJobReport", method: "get", path: `${V1}/jobs/{job_id}/report.pdf`, tag: "Reports", summary: "The job's PDF report", auth: "user", params: jobIdParamSchema, response: { mediaType: "application/pdf", description: "PDF report" }, errors: [404] },
  { operationId: "getTaskReport", method: "get", path: `${V1}/jobs/{job_id}/tasks/{task_id}/report.pdf`, tag: "Reports", summary: "One node's PDF report", auth: "user", params: jobTaskParamSchema, response: { mediaType: "application/pdf", description: "PDF report" }, errors: [404] },
  { operationId: "getJobResultsArchive", method: "get", path: `${V1}/jobs/{job_id}/results.tar.gz`, tag: "Reports", summary: "Every result (JSON), node logs and PDF reports as one archive", auth: "user", params: jobIdParamSchema, query: resultsArchiveQuerySchema, response: { mediaType: "application/gzip", description: "tar.gz archive, streamed" }, errors: [404] },
  { operationId: "getResult", method: "get", path: `${V1}/results/{result_id}`, tag: "Reports", summary: "One stored result with its job_id and task_id", auth: "user", params: resultIdParamSchema, query: jobResultsQuerySchema, response: r.anyObject, errors: [404] },
  { operationId: "getResultJob", method: "get", path: `${V1}/results/{result_id}/job`, tag: "Reports", summary: "The job that produced a result", auth: "user", params: resultIdParamSchema, response: r.jobDetailSchema, errors: [404] },
  { operationId: "getJobSummary", method: "get", path: `${V1}/jobs/summary`, tag: "Jobs", summary: "Counts by state and by benchmark, and the queue of jobs waiting for nodes", auth: "user", response: r.anyObject },
  { operationId: "exportJobs", method: "get", path: `${V1}/jobs/export`, tag: "Jobs", summary: "The filtered job list as CSV or JSON (same filters and sort as GET /jobs)", auth: "user", query: exportJobsQuerySchema.extend(tagAliasQueryShape), response: { mediaType: "text/csv", description: "CSV (format=csv) or a JSON array (format=json), streamed" } },
  { operationId: "bulkDeleteJobs", method: "delete", path: `${V1}/jobs`, tag: "Jobs", summary: "Bulk soft delete by created_before / finished_before (admins)", auth: "user", query: bulkDeleteJobsQuerySchema, response: z.object({ deleted_count: z.int() }), errors: [403] },

  { operationId: "getJobPerformance", method: "get", path: `${V1}/jobs/{job_id}/performance`, tag: "Jobs", summary: "Per-node performance of a job: each metric against its reference", auth: "user", params: jobIdParamSchema, response: r.anyObject, errors: [404] },

  // Fleet and administration (dashboard)
  { operationId: "listMachines", method: "get", path: `${V1}/machines`, tag: "Fleet", summary: "Machines seen in the caller's visible jobs, by hostname; sort_by=status lists problems first", auth: "user", query: listMachinesQuerySchema, response: r.anyObject },
  { operationId: "getMachineHeatmap", method: "get", path: `${V1}/machines/heatmap`, tag: "Fleet", summary: "Per GPU model: visible machines × key metrics (latest run) as ratios to the fleet median", auth: "user", query: heatmapQuerySchema, response: r.anyObject },
  { operationId: "getMachine", method: "get", path: `${V1}/machines/{machine_id}`, tag: "Fleet", summary: "A machine with its run history against the references", auth: "user", params: machineIdParamSchema, query: machineHistoryQuerySchema, response: r.anyObject, errors: [404] },
  { operationId: "createMachineAnnotation", method: "post", path: `${V1}/machines/{machine_id}/annotations`, tag: "Fleet", summary: "Annotate a machine's history; resets_baseline restarts its own-history test", auth: "user", params: machineIdParamSchema, body: createAnnotationSchema, response: r.anyObject, status: 201, errors: [404] },
  { operationId: "compareRuns", method: "get", path: `${V1}/compare`, tag: "Fleet", summary: "Compare 2–4 jobs or nodes: per-metric values, delta % vs the first, beyond-noise flags, configuration diff", auth: "user", query: compareQuerySchema, response: r.anyObject, errors: [404] },
  { operationId: "listUsers", method: "get", path: `${V1}/users`, tag: "Admin", summary: "Users the caller administers (customer admins: their customer; root: all)", auth: "user", query: listUsersQuerySchema, response: r.anyObject, errors: [403] },
  { operationId: "createUser", method: "post", path: `${V1}/users`, tag: "Admin", summary: "Create a user", auth: "user", body: createUserSchema, response: r.anyObject, status: 201, errors: [403, 409] },
  { operationId: "updateUser", method: "patch", path: `${V1}/users/{user_id}`, tag: "Admin", summary: "Change a user's name, role, password or active flag", auth: "user", params: userIdParamSchema, body: updateUserSchema, response: r.anyObject, errors: [403, 404] },
  { operationId: "listCustomers", method: "get", path: `${V1}/customers`, tag: "Admin", summary: "Every customer with user and job counts (root admins)", auth: "user", response: r.anyObject, errors: [403] },
  { operationId: "createCustomer", method: "post", path: `${V1}/customers`, tag: "Admin", summary: "Create a customer (root admins)", auth: "user", body: createCustomerSchema, response: r.anyObject, status: 201, errors: [403, 409] },

  // Agent protocol (job token)
  { operationId: "getCurrentJob", method: "get", path: `${V1}/jobs/current`, tag: "Agent", summary: "The job's configuration for its agents", auth: "job", response: r.anyObject },
  { operationId: "registerNode", method: "post", path: `${V1}/jobs/current/tasks`, tag: "Agent", summary: "Register a node (201; 200 when it registers again)", auth: "job", body: registerNodeSchema, response: r.taskSchema, status: 201, errors: [409, 422] },
  { operationId: "uploadResult", method: "post", path: `${TASK}/results`, tag: "Agent", summary: "Upload one benchmark result (idempotent)", auth: "job", params: taskIdParamSchema, body: uploadResultSchema, response: r.uploadReceiptSchema, status: 201, errors: [404, 409] },
  { operationId: "appendLogs", method: "post", path: `${TASK}/logs`, tag: "Agent", summary: "Append log lines", auth: "job", params: taskIdParamSchema, body: appendLogsSchema, response: z.object({ accepted: z.int() }), status: 202, errors: [404] },
  { operationId: "sendHeartbeat", method: "post", path: `${TASK}/heartbeat`, tag: "Agent", summary: "Liveness and progress; tells the agent whether to continue", auth: "job", params: taskIdParamSchema, body: heartbeatSchema, response: r.heartbeatAnswerSchema, errors: [404] },
  { operationId: "listAgentPeers", method: "get", path: `${TASK}/peers`, tag: "Agent", summary: "Extension: the other nodes' agent addresses (agent_endpoint) and whether all reached a benchmark step; cluster_network measures when ready", auth: "job", params: taskIdParamSchema, query: peersQuerySchema, response: peersAnswerSchema, errors: [400, 404] },
  { operationId: "finishTask", method: "post", path: `${TASK}/finish`, tag: "Agent", summary: "Finish this node's task", auth: "job", params: taskIdParamSchema, body: finishTaskSchema, response: r.finishAnswerSchema, errors: [404, 409] },

  // Operations
  { operationId: "getServerInfo", method: "get", path: `${V1}/server`, tag: "Operations", summary: "Server check: versions, and the caller's usage when signed in", auth: "optional-user", response: serverInfoSchema },
  { operationId: "getMetrics", method: "get", path: `${V1}/metrics`, tag: "Operations", summary: "Job and request metrics over 24 h (caller's jobs)", auth: "user", response: metricsSchema },
  { operationId: "getOpenApiDocument", method: "get", path: `${V1}/openapi.json`, tag: "Operations", summary: "This OpenAPI 3.1 document", auth: "public", response: r.anyObject },
  { operationId: "getPrometheusMetrics", method: "get", path: "/api/metrics", tag: "Operations", summary: "Prometheus metrics (also at /metrics)", auth: "metrics", response: { mediaType: "text/plain", description: "Prometheus text exposition format" } },
  { operationId: "getLiveness", method: "get", path: "/api/health/live", tag: "Operations", summary: "Liveness probe", auth: "public", response: liveSchema, noClientErrors: PROBE },
  { operationId: "getReadiness", method: "get", path: "/api/health/ready", tag: "Operations", summary: "Readiness probe: database and Redis (503 when degraded)", auth: "public", response: readySchema, errors: [503], noClientErrors: PROBE },
];
