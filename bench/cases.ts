// What the benchmark measures: every documented list filter and sort, deep pages, stats,
// tags, detail and results, as the callers who actually issue them (a user, the admin of
// the biggest customer, a root admin). Each case names the service call behind its route
// so the raw-SQL floor can be captured from exactly that call.
import type { PrismaClient } from "../lib/generated/prisma/client";
import type { Caller } from "../lib/auth/caller";
import { parseQuery } from "../lib/api/parse";
import { listTasks } from "../lib/tasks/queries";
import { listTasksQuerySchema } from "../lib/tasks/schemas";
import { getJobDetail, getJobResults, jobStats, listJobs, listTags } from "../lib/jobs/queries";
import { compare } from "../lib/compare/queries";
import { compareQuerySchema } from "../lib/compare/schemas";
import { fleetHeatmap } from "../lib/fleet/heatmap";
import { getMachine, listMachines } from "../lib/fleet/queries";
import { heatmapQuerySchema, listMachinesQuerySchema, machineHistoryQuerySchema } from "../lib/fleet/schemas";
import { jobSummary } from "../lib/jobs/summary";
import { serverInfo } from "../lib/ops/server-info";
import { JOB_SORT_FIELDS } from "../lib/jobs/limits";
import {
  jobResultsQuerySchema,
  jobStatsQuerySchema,
  LIST_QUERY_OPTIONS,
  STATS_QUERY_OPTIONS,
  listJobsQuerySchema,
} from "../lib/jobs/schemas";

export type CallerName = "user" | "admin" | "root";

/**
 * What a case reads. The overhead target (docs/performance-budget.md) is judged on the job
 * list, stats, tags and detail; the other kinds show their overhead for information.
 */
export type CaseKind = "list" | "stats" | "tags" | "detail" | "results" | "tasks" | "fleet" | "server" | "summary";
export const OVERHEAD_KINDS: readonly CaseKind[] = ["list", "stats", "tags", "detail"];

export interface BenchCase {
  name: string;
  kind: CaseKind;
  caller: CallerName;
  /** Path and query under /api/silicon-mark/v1 */
  path: string;
  service: (db: PrismaClient, caller: Caller) => Promise<unknown>;
}

const V1 = "http://bench/api/silicon-mark/v1";
const day = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function list(name: string, caller: CallerName, query: string): BenchCase {
  const path = `/jobs${query ? `?${query}` : ""}`;
  return {
    name,
    kind: "list",
    caller,
    path,
    service: (db, c) => listJobs(db, c, parseQuery(listJobsQuerySchema, new URL(V1 + path), LIST_QUERY_OPTIONS)),
  };
}

function tasks(name: string, caller: CallerName, query: string): BenchCase {
  const path = `/tasks${query ? `?${query}` : ""}`;
  return {
    name,
    kind: "tasks",
    caller,
    path,
    service: (db, c) => listTasks(db, c, parseQuery(listTasksQuerySchema, new URL(V1 + path))),
  };
}

export function benchCases(opts: {
  detailJobId: string;
  compareJobIds: string[];
  compareTaskIds: string[];
  machineId: number;
  now: Date;
}): BenchCase[] {
  const { detailJobId, compareJobIds, compareTaskIds, machineId, now } = opts;
  const cases: BenchCase[] = [
    list("list default (user)", "user", ""),
    list("list default (customer admin)", "admin", ""),
    list("list default (root)", "root", ""),
  ];
  for (const field of JOB_SORT_FIELDS) {
    for (const order of ["asc", "desc"])
      cases.push(list(`sort ${field} ${order}`, "admin", `sort_by=${field}&sort_order=${order}`));
  }
  cases.push(
    list("sort name asc (user)", "user", "sort_by=name&sort_order=asc"),
    list("sort node_count desc (root)", "root", "sort_by=node_count&sort_order=desc"),
    list("filter state=completed", "admin", "state=completed"),
    list("filter state=running", "admin", "state=running"),
    list("filter name=soak", "admin", "name=soak"),
    list("filter name=soak (root)", "root", "name=soak"),
    list("filter name=soak (user)", "user", "name=soak"),
    list("filter name=#4242 (rare)", "admin", "name=%234242"),
    list("filter tags=production", "admin", "tags=production"),
    list("filter tags=production (root)", "root", "tags=production"),
    list("filter tags=nccl&tags=training", "admin", "tags=nccl&tags=training"),
    list("filter tags=nccl&tags=training (user)", "user", "tags=nccl&tags=training"),
    list("filter tags=nccl&tags=training (root)", "root", "tags=nccl&tags=training"),
    list("filter tags=production&tags=nightly (root)", "root", "tags=production&tags=nightly"),
    list("filter tags=cooling (rare)", "admin", "tags=cooling"),
    list("filter benchmark_id=cluster_network", "admin", "benchmark_id=cluster_network"),
    list("filter created_after (30 d)", "admin", `created_after=${isoDay(new Date(now.getTime() - 30 * day))}`),
    list("filter created_before (600 d ago)", "admin", `created_before=${isoDay(new Date(now.getTime() - 600 * day))}`),
    list(
      "filter created window (7 d, a year ago)",
      "admin",
      `created_after=${isoDay(new Date(now.getTime() - 372 * day))}&created_before=${isoDay(new Date(now.getTime() - 365 * day))}`,
    ),
    list("filter node_count_min=16", "admin", "node_count_min=16"),
    list("filter node_count_max=2", "admin", "node_count_max=2"),
    list("filter node_count 4..8", "admin", "node_count_min=4&node_count_max=8"),
    list("filter has_performance_data=true", "admin", "has_performance_data=true"),
    list("filter has_performance_data=false", "admin", "has_performance_data=false"),
    list("include_results=true", "admin", "include_results=true"),
    list("include=performance,performance_nodes", "admin", "include=performance,performance_nodes"),
    list("combined state+tags+sort name", "admin", "state=completed&tags=production&sort_by=name&sort_order=asc"),
    list("per_page=300", "admin", "per_page=300"),
    list("deep page 1000", "admin", "page=1000"),
    list("deep page 1000 (root)", "root", "page=1000"),
  );
  for (const caller of ["user", "admin", "root"] as const) {
    cases.push({
      name: `stats (${caller})`,
      kind: "stats",
      caller,
      path: "/jobs/stats",
      service: (db, c) =>
        jobStats(db, c, parseQuery(jobStatsQuerySchema, new URL(`${V1}/jobs/stats`), STATS_QUERY_OPTIONS)),
    });
  }
  cases.push({
    name: "stats tags=production (admin)",
    kind: "stats",
    caller: "admin",
    path: "/jobs/stats?tags=production",
    service: (db, c) =>
      jobStats(
        db,
        c,
        parseQuery(jobStatsQuerySchema, new URL(`${V1}/jobs/stats?tags=production`), STATS_QUERY_OPTIONS),
      ),
  });
  for (const caller of ["user", "admin", "root"] as const) {
    cases.push({
      name: `tags (${caller})`,
      kind: "tags",
      caller,
      path: "/jobs/tags",
      service: (db, c) => listTags(db, c),
    });
  }
  cases.push(
    {
      name: "detail 16-node job",
      kind: "detail",
      caller: "admin",
      path: `/jobs/${detailJobId}`,
      service: (db, c) => getJobDetail(db, c, BigInt(detailJobId)),
    },
    {
      name: "results 16-node job",
      kind: "results",
      caller: "admin",
      path: `/jobs/${detailJobId}/results?include_display_names=true`,
      service: (db, c) =>
        getJobResults(
          db,
          c,
          BigInt(detailJobId),
          parseQuery(jobResultsQuerySchema, new URL(`${V1}/jobs/x/results?include_display_names=true`))
            .include_display_names,
        ),
    },
    tasks("tasks default (user)", "user", ""),
    tasks("tasks default (customer admin)", "admin", ""),
    tasks("tasks default (root)", "root", ""),
    tasks("tasks state=running", "admin", "state=running"),
    tasks("tasks state=failed (root)", "root", "state=failed"),
    tasks("tasks machine_ip", "admin", "machine_ip=10.1.0.2"),
    tasks("tasks job_id", "admin", `job_id=${detailJobId}&include_results=true`),
    tasks("tasks deep page 1000", "admin", "page=1000"),
  );
  // The Performance page's list (components/performance/performance-view.tsx): completed
  // jobs with an underperforming node, their roll-ups and results, newest first.
  const performanceQuery =
    "state=completed&performance_status=underperforming&include=performance%2Cperformance_nodes&include_results=true&sort_by=ended_at&sort_order=desc&page=1&per_page=20";
  for (const caller of ["user", "admin", "root"] as const) {
    cases.push(list(`performance list (${caller})`, caller, performanceQuery));
    cases.push({
      name: `server with usage (${caller})`,
      kind: "server",
      caller,
      path: "/server",
      service: (db, c) => serverInfo(db, c),
    });
    cases.push({
      name: `jobs summary (${caller})`,
      kind: "summary",
      caller,
      path: "/jobs/summary",
      service: (db, c) => jobSummary(db, c),
    });
    cases.push(machines(`machines (${caller})`, caller, ""));
  }
  cases.push(
    machines("machines status=underperforming (admin)", "admin", "status=underperforming"),
    machines("machines sort hostname (root)", "root", "sort_by=hostname"),
    // The health filter joins machines (health lives there), unlike the other filters.
    machines("machines health_state=suspect (admin)", "admin", "health_state=suspect"),
    machines("machines health_state=healthy (root)", "root", "health_state=healthy"),
    {
      name: "machine detail (admin)",
      kind: "fleet",
      caller: "admin",
      path: `/machines/${machineId}`,
      service: (db, c) =>
        getMachine(db, c, machineId, parseQuery(machineHistoryQuerySchema, new URL(`${V1}/machines/${machineId}`))),
    },
  );
  const comparePath = `/compare?jobs=${compareJobIds.join(",")}`;
  const compareTasksPath = `/compare?tasks=${compareTaskIds.join(",")}`;
  cases.push(
    {
      name: "compare 3 jobs",
      kind: "fleet",
      caller: "admin",
      path: comparePath,
      service: (db, c) => compare(db, c, parseQuery(compareQuerySchema, new URL(V1 + comparePath))),
    },
    {
      name: "compare 2 nodes",
      kind: "fleet",
      caller: "admin",
      path: compareTasksPath,
      service: (db, c) => compare(db, c, parseQuery(compareQuerySchema, new URL(V1 + compareTasksPath))),
    },
  );
  for (const caller of ["user", "admin", "root"] as const) {
    cases.push({
      name: `machines heatmap (${caller})`,
      kind: "fleet",
      caller,
      path: "/machines/heatmap",
      service: (db, c) => fleetHeatmap(db, c, parseQuery(heatmapQuerySchema, new URL(`${V1}/machines/heatmap`))),
    });
  }
  return cases;
}

function machines(name: string, caller: CallerName, query: string): BenchCase {
  const path = `/machines${query ? `?${query}` : ""}`;
  return {
    name,
    kind: "fleet",
    caller,
    path,
    service: (db, c) => listMachines(db, c, parseQuery(listMachinesQuerySchema, new URL(V1 + path))),
  };
}
