import type { Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { pagination } from "../api/pagination";
import type { Caller } from "../auth/caller";
import { jobVisibilityWhere, machineCustomerSql } from "../auth/visibility";
import { rollupGpuModelsSql, rollupOrderSql, rollupPageSql, rollupTotalSql, rollupWhere } from "./rollups";
import { NotFoundError } from "../api/errors";
import { KEY_METRICS, historySettings, type HistorySettings } from "../performance/metrics";
import { noiseBand } from "../performance/robust";
import { regressionLimit } from "../performance/history-test";
import type { NodePerformance } from "../performance/scoring";
import { listAnnotations } from "./annotations";
import type { ListMachinesQuery, MachineHistoryQuery } from "./schemas";
import { readNodePerformance } from "../db/json-columns";
import { agentView } from "../enrollment/status";
import { clock } from "../util/clock";
import { listHealth, machineHealth } from "../health/queries";

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

interface MachineRow {
  id: number;
  uuid: string;
  hostname: string | null;
  gpu_model: string | null;
  gpu_count: number;
  first_seen_at: Date;
  customer_name: string;
  job_id: bigint;
  job_name: string;
  job_state: string;
  node_state: string;
  status: string;
  last_seen_at: Date;
  job_count: number;
  enrolled_at: Date | null;
  agent_state: string | null;
  agent_seen_at: Date | null;
}

function serializeMachine(r: MachineRow) {
  return {
    id: Number(r.id),
    machine_uuid: r.uuid,
    hostname: r.hostname,
    customer: r.customer_name,
    gpu_model: r.gpu_model,
    gpu_count: Number(r.gpu_count),
    first_seen_at: iso(r.first_seen_at),
    last_seen_at: iso(r.last_seen_at),
    last_job: { id: String(r.job_id), name: r.job_name, state: r.job_state, node_state: r.node_state },
    last_performance_status: r.status,
    job_count: Number(r.job_count),
    // Enrolled machines' live service-agent status (idle, busy, offline); null otherwise.
    agent: agentView(
      { enrolledAt: r.enrolled_at, agentState: r.agent_state, agentSeenAt: r.agent_seen_at },
      clock.now(),
    ),
  };
}

/**
 * A machine is visible when it ran a node of a job the caller can see (in the machine's own
 * customer): the fleet inherits the jobs' visibility rule instead of adding a second one.
 * One row per machine with its latest visible node; "last seen" is that node's latest sign
 * of life, so a plain user learns nothing about colleagues' runs on the same machine. The
 * latest node and the count of visible nodes are kept per machine and scope in the fleet
 * roll-ups (lib/fleet/rollups.ts).
 */
export async function listMachines(db: Db, caller: Caller, q: ListMachinesQuery) {
  // The machine's health lives on machines only: that filter joins them into the page.
  const healthFilter = q.health_state ? Prisma.sql` AND m.health_state = ${q.health_state}` : Prisma.empty;
  const from = q.health_state
    ? Prisma.sql`machine_rollups r JOIN machines m ON m.id = r.machine_id`
    : Prisma.sql`machine_rollups r`;
  const where = Prisma.sql`${rollupWhere(caller, q)}${healthFilter}`;
  // Healthy is nearly every machine: counted as the scope's total from the counters minus the
  // few machines in another state. Those are counted from the machines (partial index
  // machines_unhealthy_idx), each probing its roll-up row in scope (migration
  // 20261130130000_machine_rollups_by_machine), not by joining every roll-up row of the scope to
  // its machine. A machine has at most one roll-up row per scope (one per owner, user_id 0 for
  // any owner), so counting machines counts the rows.
  const countMachinesInScope = (health: Prisma.Sql) =>
    Prisma.sql`SELECT count(*)::int FROM machines m WHERE ${health} AND ${machineCustomerSql(caller)}
      AND EXISTS (SELECT 1 FROM machine_rollups r WHERE r.machine_id = m.id AND ${rollupWhere(caller, q)})`;
  const total = !q.health_state
    ? rollupTotalSql(caller, q)
    : q.health_state === "healthy"
      ? Prisma.sql`SELECT (${rollupTotalSql(caller, q)}) - (${countMachinesInScope(Prisma.sql`m.health_state <> 'healthy'`)})`
      : countMachinesInScope(Prisma.sql`m.health_state = ${q.health_state}`);
  // One statement: the page (then its machines, nodes and jobs by id), the total and the GPU
  // models (the filter's choices, whatever the filters).
  const [summary] = await db.$queryRaw<{ total: number; gpu_models: string[] | null; page: MachineRow[] | null }[]>`
    WITH page AS (${rollupPageSql(from, where, q)})
    SELECT (${total}) AS total,
           (SELECT array_agg(g.gpu_model ORDER BY g.gpu_model) FROM (${rollupGpuModelsSql(caller)}) g) AS gpu_models,
           (SELECT json_agg(p ORDER BY p.ord) FROM (
              SELECT m.id, m.uuid, m.hostname, m.gpu_model, m.gpu_count, m.first_seen_at, c.name AS customer_name,
                     m.enrolled_at, m.agent_state, m.agent_seen_at, t.job_id, j.name AS job_name, j.state AS job_state,
                     t.state AS node_state, page.status, page.last_seen_at, page.node_count AS job_count,
                     row_number() OVER (ORDER BY ${rollupOrderSql(q, "page")}) AS ord
              FROM page
              JOIN machines m ON m.id = page.machine_id
              JOIN customers c ON c.id = m.customer_id
              JOIN tasks t ON t.id = page.latest_task_id
              JOIN jobs j ON j.id = t.job_id) p) AS page`;
  // json_agg hands timestamps back as strings.
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  const rows = (summary.page ?? []).map((r) => ({
    ...r,
    first_seen_at: new Date(r.first_seen_at),
    last_seen_at: new Date(r.last_seen_at),
    enrolled_at: date(r.enrolled_at),
    agent_seen_at: date(r.agent_seen_at),
  }));
  const health = await listHealth(
    db,
    rows.map((r) => ({ id: Number(r.id) })),
  );
  return {
    results: rows.map((r) => ({ ...serializeMachine(r), health: health.get(Number(r.id)) ?? null })),
    gpu_models: summary.gpu_models ?? [],
    pagination: pagination(Number(summary.total), q.page, q.per_page),
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Key quick_mark figures of one node run against its GPU model's reference, fleet band and own
 * baseline, as they stood when the run was scored: the fleet band's noise range (median ± 3 σ)
 * and the value below which the own-history test flags (baseline_limit, under today's settings).
 */
function keyMetrics(perf: NodePerformance | null, settings: HistorySettings) {
  type KeyFigure = {
    value: number;
    reference: number | null;
    ratio: number | null;
    status: string;
    fleet_median: number | null;
    fleet_mad: number | null;
    fleet_band: { low: number; high: number } | null;
    baseline: number | null;
    baseline_runs: number | null;
    baseline_limit: number | null;
  };
  const metrics: Record<string, KeyFigure> = {};
  for (const m of KEY_METRICS) {
    const s = perf?.metrics?.[m];
    if (!s) continue;
    const band = s.fleet ? noiseBand(s.fleet.median, s.fleet.mad) : null;
    metrics[m] = {
      value: s.value,
      reference: s.reference,
      ratio: s.ratio,
      status: s.status,
      fleet_median: s.fleet?.median ?? null,
      fleet_mad: s.fleet?.mad ?? null,
      fleet_band: band ? { low: round3(band.low), high: round3(band.high) } : null,
      baseline: s.history?.median ?? null,
      baseline_runs: s.history?.runs ?? null,
      baseline_limit: s.history ? round3(regressionLimit(s.history.median, s.history.mad, settings)) : null,
    };
  }
  const ratios = Object.values(metrics)
    .map((s) => s.ratio)
    .filter((r): r is number => r !== null);
  return { metrics, performance_ratio: ratios.length ? Math.min(...ratios) : null };
}

/** A machine the caller can see (it ran a node of a visible job), else 404: other tenants' machines look missing. */
export async function findVisibleMachine(db: Db, caller: Caller, id: number) {
  const machine = await db.machine.findUnique({ where: { id }, include: { customer: { select: { name: true } } } });
  const visible =
    machine &&
    (await db.task.findFirst({
      where: {
        machineUuid: machine.uuid,
        state: { not: "rejected" },
        job: { AND: [jobVisibilityWhere(caller), { customerId: machine.customerId }] },
      },
      select: { id: true },
    }));
  if (!machine || !visible) throw new NotFoundError(`Machine with id ${id} not found`);
  return machine;
}

/** One machine with its visible history (oldest first, the last `limit` runs); 404 when it ran none of the caller's jobs. */
export async function getMachine(db: Db, caller: Caller, id: number, q: MachineHistoryQuery) {
  const machine = await db.machine.findUnique({ where: { id }, include: { customer: { select: { name: true } } } });
  const notFound = new NotFoundError(`Machine with id ${id} not found`);
  if (!machine) throw notFound;
  // The history, the annotations and the health depend only on the machine row: read
  // together, the page waits for one round of statements instead of three in a row. When the
  // caller sees none of the machine's nodes, the latter two are read but discarded (404).
  const [tasks, annotations, health] = await Promise.all([
    db.task.findMany({
      where: {
        machineUuid: machine.uuid,
        state: { not: "rejected" },
        job: { AND: [jobVisibilityWhere(caller), { customerId: machine.customerId }] },
      },
      include: { job: { select: { id: true, name: true, state: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: q.limit,
    }),
    listAnnotations(db, machine.id),
    machineHealth(db, machine),
  ]);
  if (!tasks.length) throw notFound;
  const latest = tasks[0];
  const settings = historySettings();
  const history = tasks.reverse().map((t) => {
    const perf = readNodePerformance(t.performance);
    return {
      date: iso(t.startedAt ?? t.createdAt),
      task_id: t.id.toString(),
      job_id: t.jobId.toString(),
      job_name: t.job.name,
      job_state: t.job.state,
      node_state: t.state,
      gpu_model: t.gpuModel,
      gpu_count: t.gpuCount,
      performance_status: perf?.status ?? "unknown",
      regressed_metrics: perf?.regressed_metrics ?? [],
      slow_gpus: perf?.slow_gpus ?? [],
      ...keyMetrics(perf, settings),
    };
  });
  const latestPerf = readNodePerformance(latest.performance);
  return {
    id: machine.id,
    machine_uuid: machine.uuid,
    hostname: machine.hostname,
    customer: machine.customer.name,
    gpu_model: machine.gpuModel,
    gpu_count: machine.gpuCount,
    inventory: machine.inventory,
    agent: agentView(machine, clock.now()),
    labels: machine.labels,
    first_seen_at: iso(machine.firstSeenAt),
    last_seen_at: iso(
      [latest.createdAt, latest.lastHeartbeatAt, latest.endedAt]
        .filter(Boolean)
        .sort((a, b) => b!.getTime() - a!.getTime())[0],
    ),
    last_job: { id: latest.jobId.toString(), name: latest.job.name, state: latest.job.state, node_state: latest.state },
    last_performance_status: latestPerf?.status ?? "unknown",
    history,
    annotations,
    health,
  };
}
