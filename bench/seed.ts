// Set-based seed of the benchmark database: N jobs with their tasks (nodes), per-node and
// job-level benchmark results and performance roll-ups, generated inside PostgreSQL with
// INSERT … SELECT FROM generate_series (a million jobs in minutes; row-by-row inserts from
// Node would take hours). Shapes follow what the services write (lib/jobs/commands.ts,
// lib/jobs/rollup.ts, lib/performance/*), proportions follow a busy multi-tenant fleet.
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { hashPassword } from "../lib/auth/passwords";
import { KEY_METRICS, QUICKMARK_METRICS } from "../lib/performance/metrics";
import { vendorSpec } from "../lib/performance/vendor-specs";

export const BENCH_PASSWORD = "bench-password";
/** Ids are explicit so tasks and results can be derived from their job without joins on sequences. */
export const JOB_ID_BASE = 7_554_621_440;
const TASK_ID_BASE = 7_700_000_000;
const RESULT_ID_BASE = 8_000_000_000;
const JOB_RESULT_ID_BASE = 9_000_000_000;
const NEXT_ID = 9_500_000_000;
/**
 * Every FULL_EVERY-th job carries full-fidelity result documents (one row per GPU in
 * quick_mark's test_results, the full all-pairs mesh in cluster_network). The others carry
 * the aggregates only, which keeps the seed to minutes and the database to a few GB; the
 * detail benchmark reads full-fidelity jobs, so its payloads are the real size.
 */
export const FULL_EVERY = 50;
const VARIANTS = 8;

// Tenants: a few big customers (so per-customer scoping is realistic) and a long tail.
const BIG = [
  { name: "Atlas Compute", share: 0.35, users: 60 },
  { name: "Borealis AI", share: 0.2, users: 40 },
  { name: "Cirrus Labs", share: 0.1, users: 20 },
];
const SMALL_TENANTS = 37;
const SMALL_USERS = 5;

const GPUS = [
  { model: "NVIDIA H100 80GB HBM3", short: "h100", upTo: 0.38, gpus: 8 },
  { model: "NVIDIA H100 NVL", short: "h100-nvl", upTo: 0.5, gpus: 8 },
  { model: "NVIDIA H200", short: "h200", upTo: 0.62, gpus: 8 },
  { model: "NVIDIA A100-SXM4-80GB", short: "a100-80g", upTo: 0.8, gpus: 8 },
  { model: "NVIDIA A100-SXM4-40GB", short: "a100-40g", upTo: 0.88, gpus: 8 },
  { model: "NVIDIA L40S", short: "l40s", upTo: 1.01, gpus: 4 },
];

/** Tag vocabulary, most popular first: a draw picks index floor(36·r^2.2), so "production" is on ~35% of jobs. */
export const TAGS = [
  "production",
  "nightly",
  "gpu",
  "regression",
  "staging",
  "burn-in",
  "acceptance",
  "h100",
  "llm",
  "training",
  "inference",
  "nccl",
  "weekly",
  "driver-550",
  "cluster-a",
  "cluster-b",
  "firmware",
  "rack-12",
  "rack-27",
  "smoke",
  "baseline",
  "hotfix",
  "capacity",
  "team-ml",
  "team-infra",
  "customer-demo",
  "pre-release",
  "soak",
  "perf-tuning",
  "infiniband",
  "roce",
  "cooling",
  "power-cap",
  "a100",
  "l40s",
  "experimental",
];
const NAME_WORDS = [
  "nightly",
  "weekly",
  "regression",
  "burn-in",
  "acceptance",
  "smoke",
  "soak",
  "validation",
  "capacity",
  "firmware",
  "driver-upgrade",
  "llm-training",
  "inference",
  "nccl",
  "allreduce",
  "rack-qual",
  "hotfix",
  "baseline",
];
const SITES = ["cluster-a", "cluster-b", "east", "west", "pod-3", "pod-7", "lab", "prod", "staging"];

/** The backfill statements a migration keeps between `-- <marker>:begin` and `-- <marker>:end`. */
function backfillSql(marker: string): string {
  const dir = path.resolve("prisma/migrations");
  const file = fs
    .readdirSync(dir)
    .sort()
    .map((d) => path.join(dir, d, "migration.sql"))
    // The latest one: a later migration may redefine a table and its backfill.
    .findLast((f) => fs.existsSync(f) && fs.readFileSync(f, "utf8").includes(`-- ${marker}:begin`));
  if (!file) throw new Error(`no migration holds the backfill -- ${marker}:begin … -- ${marker}:end`);
  const sql = fs.readFileSync(file, "utf8");
  return sql.slice(sql.indexOf(`-- ${marker}:begin`), sql.indexOf(`-- ${marker}:end`));
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `ARRAY[${xs.map(lit).join(",")}]::text[]`;

/** jsonb_build_object over the quick_mark metrics, each from `value(metric)` (an SQL expression). */
function metricsObject(value: (m: string) => string, metrics: readonly string[] = QUICKMARK_METRICS): string {
  return `jsonb_build_object(${metrics.map((m) => `${lit(m)}, ${value(m)}`).join(", ")})`;
}
const spec = (m: string) => `(gp.spec->>${lit(m)})::float8`;

export interface SeedCallers {
  root: string;
  admin: string;
  user: string;
  bigCustomerId: number;
}

export const CALLERS = { root: "root@bench.local", admin: "admin@atlas.bench", user: "engineer@atlas.bench" };

async function step(db: pg.Client, label: string, sql: string, params: unknown[] = []) {
  if (process.env.BENCH_SQL_DUMP)
    (await import("node:fs")).writeFileSync(`${process.env.BENCH_SQL_DUMP}/${label.replace(/\W+/g, "-")}.sql`, sql);
  const t = performance.now();
  const r = await db.query(sql, params);
  console.log(`  ${label}: ${r.rowCount ?? 0} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** Seeds an empty, migrated database. The caller checks it is empty. */
export async function seed(db: pg.Client, jobs: number): Promise<void> {
  const hash = await hashPassword(BENCH_PASSWORD);
  // Bulk load: no FK triggers or user triggers per row (their effect — the tag counters —
  // is rebuilt set-based at the end), asynchronous commit, generous sort memory.
  await db.query(
    `SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`,
  );
  await db.query(`SELECT setseed(0.4242)`);

  // ---- tenants and accounts -------------------------------------------------------------
  const tenants = [
    ...BIG,
    ...Array.from({ length: SMALL_TENANTS }, (_, i) => ({
      name: `Tenant ${String(i + 4).padStart(2, "0")}`,
      share: 0.35 / SMALL_TENANTS,
      users: SMALL_USERS,
    })),
  ];
  await db.query(
    `CREATE UNLOGGED TABLE bench_tenants (idx int PRIMARY KEY, customer_id int, n_users int, lo float8, hi float8)`,
  );
  await db.query(`CREATE UNLOGGED TABLE bench_users (idx int, k int, user_id int, PRIMARY KEY (idx, k))`);
  let lo = 0;
  for (const [i, t] of tenants.entries()) {
    const slug = t.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const domain = i < BIG.length ? slug.split("-")[0] : slug; // engineer@atlas.bench, user3@tenant-04.bench
    const cid = (await db.query(`INSERT INTO customers (name) VALUES ($1) RETURNING id`, [t.name])).rows[0].id;
    const ids = (
      await db.query(
        `INSERT INTO users (email, name, password_hash, role, customer_id)
         SELECT CASE WHEN k = 1 AND $4 THEN 'engineer@' || $1 || '.bench' ELSE 'user' || k || '@' || $1 || '.bench' END,
                'User ' || k, $2, 'user', $3
         FROM generate_series(1, $5::int) k ORDER BY k RETURNING id`,
        [domain, hash, cid, i === 0, t.users],
      )
    ).rows.map((r) => r.id as number);
    await db.query(
      `INSERT INTO bench_users (idx, k, user_id) SELECT $1, o - 1, id FROM unnest($2::int[]) WITH ORDINALITY AS u(id, o)`,
      [i + 1, ids],
    );
    await db.query(
      `INSERT INTO users (email, name, password_hash, role, customer_id) VALUES ($1, 'Admin', $2, 'customer_admin', $3)`,
      [`admin@${domain}.bench`, hash, cid],
    );
    const hi = i === tenants.length - 1 ? 1.0001 : lo + t.share;
    await db.query(`INSERT INTO bench_tenants VALUES ($1, $2, $3, $4, $5)`, [i + 1, cid, t.users, lo, hi]);
    lo = hi;
  }
  const ops = (await db.query(`INSERT INTO customers (name) VALUES ('Benchboard Operations') RETURNING id`)).rows[0].id;
  await db.query(
    `INSERT INTO users (email, name, password_hash, role, customer_id) VALUES ($1, 'Root', $2, 'root_admin', $3)`,
    [CALLERS.root, hash, ops],
  );

  await db.query(
    `CREATE UNLOGGED TABLE bench_gpus (idx int PRIMARY KEY, model text, short text, gpus int, lo float8, hi float8, spec jsonb)`,
  );
  let glo = 0;
  for (const [i, g] of GPUS.entries()) {
    await db.query(`INSERT INTO bench_gpus VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      i + 1,
      g.model,
      g.short,
      g.gpus,
      glo,
      g.upTo,
      JSON.stringify(vendorSpec(g.model)!.values),
    ]);
    glo = g.upTo;
  }

  // Precomputed JSON fragments per GPU model and variant: building the nested per-metric
  // objects row by row dominated the load, so each row picks one of VARIANTS prebuilt ones.
  const keySet = new Set(KEY_METRICS);
  const perGpuOf = (m: string) =>
    m === "kernel_launch_overhead_us" || m === "temperature_centigrade" ? "1" : "gp.gpus";
  const nodeRatio = (m: string, degraded: boolean) =>
    degraded && keySet.has(m as never) ? "x.node_under" : "x.node_ok";
  const taskPerf = (degraded: boolean) =>
    `jsonb_build_object('status', '${degraded ? "underperforming" : "ok"}', 'threshold', 0.9, 'metrics', ${metricsObject(
      (m) =>
        `jsonb_build_object('value', round((${spec(m)} * ${nodeRatio(m, degraded)})::numeric, 3), 'reference', ${spec(m)}, 'ratio', round(${nodeRatio(m, degraded)}::numeric, 4), 'source', 'vendor_spec', 'status', '${keySet.has(m as never) ? (degraded ? "underperforming" : "ok") : "unknown"}')`,
    )}, 'underperforming_metrics', '${degraded ? JSON.stringify(KEY_METRICS) : "[]"}'::jsonb)`;
  const jobMetrics = (ratio: string) =>
    metricsObject(
      (m) =>
        `jsonb_build_object('value', round((${spec(m)} * ${ratio})::numeric, 3), 'reference', ${spec(m)}, 'ratio', round(${ratio}::numeric, 4))`,
    );
  const nodeAggregate = (degraded: boolean) =>
    metricsObject((m) => `round((${spec(m)} * ${perGpuOf(m)} * ${nodeRatio(m, degraded)})::numeric, 2)`);
  await db.query(
    `CREATE UNLOGGED TABLE bench_variants AS
     SELECT gp.idx AS gpu, v, x.ok, x.under, ${jobMetrics("x.ok")} AS job_ok, ${jobMetrics("x.under")} AS job_under,
            ${taskPerf(false)} AS task_ok, ${taskPerf(true)} AS task_under, ${nodeAggregate(false)} AS agg_ok, ${nodeAggregate(true)} AS agg_under,
            (SELECT jsonb_agg(jsonb_build_object('gpu_index', i, 'gpu_name', gp.model) || ${metricsObject((m) => `round((${spec(m)} * (x.node_ok + (i % 3) / 200.0))::numeric, 2)`)})
             FROM generate_series(0, gp.gpus - 1) i) AS gpu_rows
     FROM bench_gpus gp, generate_series(0, ${VARIANTS - 1}) v,
          LATERAL (SELECT 0.985 + v * 0.004 AS ok, 0.8 + v * 0.012 AS under, 0.975 + v * 0.006 AS node_ok, 0.68 + v * 0.025 AS node_under) x`,
  );
  await db.query(`ALTER TABLE bench_variants ADD PRIMARY KEY (gpu, v)`);
  await db.query(`ANALYZE bench_tenants; ANALYZE bench_users; ANALYZE bench_gpus; ANALYZE bench_variants`);
  // Secondary indexes are dropped for the load and rebuilt afterwards (much faster than
  // maintaining them row by row); their definitions come from the catalog, so the rebuilt
  // set is exactly what the migrations created.
  const defs = (
    await db.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename IN ('jobs', 'tasks', 'benchmark_results')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    )
  ).rows;
  for (const d of defs) await db.query(`DROP INDEX "${d.indexname}"`);

  // ---- jobs ------------------------------------------------------------------------------
  const quickOnly = `'[{"benchmark_id":"quick_mark","config":null}]'::jsonb`;
  const withNetwork = `'[{"benchmark_id":"quick_mark","config":null},{"benchmark_id":"cluster_network","config":{"message_size_mb":1024}}]'::jsonb`;
  const ratioExpr = `(CASE WHEN d.perf = 'underperforming' THEN bv.under ELSE bv.ok END)`;
  await step(
    db,
    "jobs",
    `INSERT INTO jobs (id, customer_id, user_id, name, description, node_count, current_nodes, tags, benchmark_sequence, benchmark_ids, state, token,
                       failed_message, created_at, started_at, ended_at, expires_at, deleted_at, performance_status, performance, gpu_models,
                       quickmark_aggregate, requirements)
     SELECT ${JOB_ID_BASE} + r.g, t.customer_id, u.user_id,
            (${arr(NAME_WORDS)})[1 + floor(r.r_w * ${NAME_WORDS.length})::int] || ' ' || gp.short || ' ' || (${arr(SITES)})[1 + floor(r.r_y * ${SITES.length})::int] || ' #' || r.g,
            CASE WHEN r.r_z < 0.2 THEN 'Scheduled run on ' || c.node_count || ' nodes of ' || gp.model ELSE NULL END,
            c.node_count, d.current_nodes,
            COALESCE((SELECT array_agg(DISTINCT (${arr(TAGS)})[1 + floor(pow(random(), 2.2) * ${TAGS.length})::int])
                      FROM generate_series(1, CASE WHEN r.r_k < 0.12 THEN 0 WHEN r.r_k < 0.4 THEN 1 WHEN r.r_k < 0.7 THEN 2 WHEN r.r_k < 0.88 THEN 3 WHEN r.r_k < 0.96 THEN 4 ELSE 5 END + 0 * r.g)), '{}'),
            CASE WHEN c.network THEN ${withNetwork} ELSE ${quickOnly} END,
            CASE WHEN c.network THEN ARRAY['quick_mark', 'cluster_network'] ELSE ARRAY['quick_mark'] END,
            c.state,
            'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' || md5(r.g::text) || md5((r.g + 1)::text) || md5((r.g + 2)::text) || '.' || md5((r.g + 3)::text),
            CASE c.state WHEN 'failed' THEN 'All nodes failed quick_mark' WHEN 'aborted' THEN 'Nodes stopped heartbeating' WHEN 'completed_with_warnings' THEN '1 of ' || c.node_count || ' nodes failed' END,
            c.created_at, d.started_at, d.ended_at, c.created_at + interval '1 day',
            CASE WHEN d.ended_at IS NOT NULL AND r.r_d < 0.03 THEN LEAST(now(), d.ended_at + r.r_d * interval '900 days') END,
            d.perf,
            CASE WHEN d.perf <> 'unknown' THEN jsonb_build_object(
              'status', d.perf, 'threshold', 0.9, 'nodes_total', d.current_nodes, 'nodes_scored', d.current_nodes,
              'nodes_underperforming', CASE WHEN d.perf = 'underperforming' THEN 1 ELSE 0 END,
              'metrics', CASE WHEN d.perf = 'underperforming' THEN bv.job_under ELSE bv.job_ok END,
              'scoreboard_summary', jsonb_build_object('status', d.perf, 'gpu_models', jsonb_build_array(gp.model),
                'nodes_underperforming', CASE WHEN d.perf = 'underperforming' THEN 1 ELSE 0 END, 'nodes_total', d.current_nodes,
                'worst', jsonb_build_object('machine_uuid', md5(t.customer_id || ':' || ((r.g::bigint * 7919 + d.current_nodes) % 4096))::uuid::text, 'metric', 'bf16_tflops',
                                            'ratio', CASE WHEN d.perf = 'underperforming' THEN round((0.65 + r.r_w * 0.2)::numeric, 4) ELSE round((0.97 + r.r_w * 0.02)::numeric, 4) END),
                'reference_sources', jsonb_build_array('vendor_spec'))) END,
            CASE WHEN d.current_nodes > 0 THEN ARRAY[gp.model] ELSE '{}' END,
            CASE WHEN c.state IN ('completed', 'completed_with_warnings') AND d.current_nodes > 0 THEN
              jsonb_build_object('node_count', d.current_nodes, 'gpu_count', d.current_nodes * gp.gpus) ||
              ${metricsObject((m) => `round((${spec(m)} * ${m === "kernel_launch_overhead_us" || m === "temperature_centigrade" ? "1" : "gp.gpus * d.current_nodes"} * ${ratioExpr})::numeric, 3)`)} END,
            CASE WHEN r.r_z > 0.85 THEN jsonb_build_object('gpu_name', gp.short, 'gpu_count', gp.gpus) END
     -- OFFSET 0 keeps each derived layer from being flattened into its users, where every
     -- reference would re-evaluate (and re-draw) the expressions.
     FROM (SELECT r0.*,
                  CASE WHEN r_c < 0.35 THEN 1 WHEN r_c < 0.55 THEN 2 WHEN r_c < 0.65 THEN 3
                       ELSE 4 + LEAST(${SMALL_TENANTS - 1}, floor((r_c - 0.65) / 0.35 * ${SMALL_TENANTS})::int) END AS tenant,
                  CASE ${GPUS.map((g, i) => `WHEN r_g < ${g.upTo} THEN ${i + 1}`).join(" ")} END AS gpu,
                  floor(r_w * ${VARIANTS})::int AS variant
           FROM (SELECT g, random() r_c, random() r_u, random() r_t, random() r_s, random() r_s2, random() r_n, random() r_g, random() r_p,
                        random() r_d, random() r_w, random() r_x, random() r_y, random() r_z, random() r_k
                 FROM generate_series(1, $1::int) g OFFSET 0) r0 OFFSET 0) r
     JOIN bench_tenants t ON t.idx = r.tenant
     JOIN bench_users u ON u.idx = r.tenant AND u.k = floor(pow(r.r_u, 1.5) * t.n_users)::int
     JOIN bench_gpus gp ON gp.idx = r.gpu
     JOIN bench_variants bv ON bv.gpu = r.gpu AND bv.v = r.variant
     CROSS JOIN LATERAL (
       SELECT b.*, b.created_at AS c_at,
              CASE WHEN b.live THEN (CASE WHEN r.r_s < 0.045 THEN 'created' WHEN r.r_s < 0.075 AND b.node_count > 1 THEN 'starting' ELSE 'running' END)
                   ELSE (CASE WHEN r.r_s2 < 0.75 THEN 'completed' WHEN r.r_s2 < 0.84 THEN 'completed_with_warnings' WHEN r.r_s2 < 0.89 THEN 'failed' ELSE 'aborted' END) END AS state
       FROM (SELECT now() - 730 * pow(r.r_t, 1.6) * interval '1 day' AS created_at,
                    730 * pow(r.r_t, 1.6) < 1 AND r.r_s < 0.3 AS live,
                    CASE WHEN r.r_n < 0.55 THEN 1 WHEN r.r_n < 0.72 THEN 2 WHEN r.r_n < 0.75 THEN 3 WHEN r.r_n < 0.86 THEN 4 WHEN r.r_n < 0.88 THEN 6
                         WHEN r.r_n < 0.94 THEN 8 WHEN r.r_n < 0.95 THEN 12 WHEN r.r_n < 0.975 THEN 16 WHEN r.r_n < 0.99 THEN 32 WHEN r.r_n < 0.996 THEN 64
                         WHEN r.r_n < 0.999 THEN 128 ELSE 256 END AS node_count OFFSET 0) b OFFSET 0
     ) c0
     CROSS JOIN LATERAL (SELECT c0.*, c0.node_count > 1 AND r.r_x > 0.1 AS network OFFSET 0) c
     CROSS JOIN LATERAL (
       SELECT n.current_nodes, n.started_at,
              CASE WHEN c.state IN ('completed', 'completed_with_warnings', 'failed', 'aborted')
                   THEN LEAST(now(), COALESCE(n.started_at + (300 + r.r_d * 7200) * interval '1 second', c.created_at + interval '1 day')) END AS ended_at,
              CASE WHEN c.state IN ('completed', 'completed_with_warnings') AND n.current_nodes > 0
                   THEN (CASE WHEN r.r_p < 0.065 THEN 'underperforming' WHEN r.r_p < 0.96 THEN 'ok' ELSE 'unknown' END) ELSE 'unknown' END AS perf
       FROM (SELECT m.current_nodes, CASE WHEN m.current_nodes > 0 THEN c.created_at + (20 + r.r_x * 600) * interval '1 second' END AS started_at
             FROM (SELECT CASE c.state WHEN 'created' THEN 0 WHEN 'starting' THEN 1 + floor(r.r_x * (c.node_count - 1))::int
                                       WHEN 'aborted' THEN floor(r.r_x * (c.node_count + 1))::int ELSE c.node_count END AS current_nodes OFFSET 0) m OFFSET 0) n OFFSET 0
     ) d`,
    [jobs],
  );

  // ---- tasks (one per joined node) --------------------------------------------------------
  const machineNo = `((j.id - ${JOB_ID_BASE}) * 7919 + k) % 4096`;
  await step(
    db,
    "tasks",
    `INSERT INTO tasks (id, job_id, customer_id, user_id, job_live, machine_uuid, machine_ip, gpu_model, gpu_count, inventory, state, failed_message, created_at, started_at, ended_at, last_heartbeat_at, progress, performance)
     SELECT ${TASK_ID_BASE} + (j.id - ${JOB_ID_BASE}) * 256 + k, j.id, j.customer_id, j.user_id, j.deleted_at IS NULL,
            md5(j.customer_id || ':' || ${machineNo})::uuid::text,
            '10.' || (j.customer_id % 250) || '.' || (${machineNo} / 250) || '.' || (${machineNo} % 250 + 2),
            gp.model, gp.gpus,
            jsonb_build_object('cpu', (ARRAY['AMD EPYC 9654 96-Core', 'Intel Xeon Platinum 8480+', 'AMD EPYC 7763 64-Core'])[1 + ${machineNo} % 3],
                               'memory_gb', 1024 * (1 + ${machineNo} % 2), 'driver_version', (ARRAY['550.90.07', '560.35.03', '570.124.06'])[1 + ${machineNo} % 3], 'cuda_version', '12.6', 'os', 'Ubuntu 22.04.4 LTS'),
            s.state,
            CASE s.state WHEN 'failed' THEN 'quick_mark failed: CUDA error 999' WHEN 'aborted' THEN 'Job aborted' END,
            j.started_at + k * interval '2 seconds', j.started_at + k * interval '2 seconds',
            CASE WHEN j.ended_at IS NOT NULL THEN j.ended_at END,
            COALESCE(j.ended_at, now() - interval '20 seconds'),
            CASE WHEN j.state IN ('running', 'starting') THEN jsonb_build_object('benchmark_id', 'quick_mark', 'step', 1, 'steps', 2, 'percent', 40, 'message', 'running quick_mark') END,
            -- The last node of an underperforming job is the degraded one.
            CASE WHEN j.performance_status = 'underperforming' AND k = j.current_nodes THEN bv.task_under WHEN j.performance_status = 'ok' THEN bv.task_ok END
     FROM jobs j
     JOIN bench_gpus gp ON gp.model = j.gpu_models[1]
     CROSS JOIN LATERAL generate_series(1, j.current_nodes) k
     JOIN bench_variants bv ON bv.gpu = gp.idx AND bv.v = k % ${VARIANTS}
     CROSS JOIN LATERAL (SELECT CASE j.state WHEN 'completed' THEN 'completed' WHEN 'failed' THEN 'failed' WHEN 'aborted' THEN 'aborted'
                                             WHEN 'completed_with_warnings' THEN CASE WHEN k = j.current_nodes AND k > 1 THEN 'failed' ELSE 'completed' END
                                             ELSE 'running' END AS state) s
     WHERE j.current_nodes > 0`,
  );

  // ---- per-node results ---------------------------------------------------------------------
  const full = `(j.id - ${JOB_ID_BASE}) % ${FULL_EVERY} = 0`;
  const host = (n: string) => `'gpu-c' || j.customer_id || '-n' || (((j.id - ${JOB_ID_BASE}) * 7919 + ${n}) % 4096)`;
  await step(
    db,
    "per-node results",
    `INSERT INTO benchmark_results (id, job_id, task_id, benchmark_id, benchmark_name, config, results, state, error_message, started_at, ended_at, created_at)
     SELECT ${RESULT_ID_BASE} + (t.id - ${TASK_ID_BASE}) * 2 + b.n, j.id, t.id, b.id, b.name, NULL,
            CASE WHEN t.state = 'failed' AND b.id = 'quick_mark' THEN '{}'::jsonb
                 WHEN b.id = 'quick_mark' THEN jsonb_build_object('gpu_model', t.gpu_model, 'gpu_count', t.gpu_count,
                   'aggregate_results', CASE WHEN t.performance->>'status' = 'underperforming' THEN bv.agg_under ELSE bv.agg_ok END,
                   'test_results', CASE WHEN ${full} THEN bv.gpu_rows ELSE '[]'::jsonb END)
                 ELSE jsonb_build_object('busbw_gbps', round((340 * bv.ok)::numeric, 1),
                   'measurements', CASE WHEN ${full} THEN (SELECT COALESCE(jsonb_agg(jsonb_build_object('source', ${host("k")}, 'target', ${host("p")},
                       'bandwidth_gbps', round((372 * (0.99 + (p % 3) / 100.0))::numeric, 1), 'latency_us', round((2.6 + (p % 5) / 20.0)::numeric, 2))), '[]')
                     FROM generate_series(1, j.current_nodes) p WHERE p <> k) ELSE '[]'::jsonb END) END,
            CASE WHEN t.state = 'failed' AND b.id = 'quick_mark' THEN 'failed' ELSE 'completed' END,
            CASE WHEN t.state = 'failed' AND b.id = 'quick_mark' THEN 'CUDA error 999: unknown error' END,
            t.started_at + b.n * interval '4 minutes', t.started_at + (b.n + 1) * interval '4 minutes', t.started_at + (b.n + 1) * interval '4 minutes'
     FROM tasks t
     JOIN jobs j ON j.id = t.job_id
     JOIN bench_gpus gp ON gp.model = t.gpu_model
     CROSS JOIN LATERAL (SELECT (t.id - ${TASK_ID_BASE} - (j.id - ${JOB_ID_BASE}) * 256) AS k) kk(k)
     JOIN bench_variants bv ON bv.gpu = gp.idx AND bv.v = kk.k % ${VARIANTS}
     CROSS JOIN LATERAL (VALUES (0, 'quick_mark', 'QuickMark'), (1, 'cluster_network', 'Cluster Network')) b(n, id, name)
     WHERE t.state IN ('completed', 'failed') AND (b.id = 'quick_mark' OR ('cluster_network' = ANY (j.benchmark_ids) AND t.state = 'completed'))`,
  );

  // ---- job-level results (task_id NULL): quick_mark aggregate and the network mesh ----------
  await step(
    db,
    "job-level results",
    `INSERT INTO benchmark_results (id, job_id, task_id, benchmark_id, benchmark_name, config, results, state, error_message, started_at, ended_at, created_at)
     SELECT ${JOB_RESULT_ID_BASE} + (j.id - ${JOB_ID_BASE}) * 2 + b.n, j.id, NULL, b.id, b.name, '{}'::jsonb,
            CASE WHEN b.id = 'quick_mark' THEN COALESCE(j.quickmark_aggregate, '{}'::jsonb)
                 ELSE jsonb_build_object('avg_bandwidth_gbps', 368.2, 'min_bandwidth_gbps', 360.1, 'avg_latency', 2.71, 'busbw_gbps', 334.5,
                   'total_links_tested', j.current_nodes * (j.current_nodes - 1), 'node_count', j.current_nodes,
                   'measurements', CASE WHEN ${full} THEN (SELECT COALESCE(jsonb_agg(jsonb_build_object('source', ${host("s")}, 'target', ${host("p")},
                       'bandwidth_gbps', round((372 * (0.99 + (p % 3) / 100.0))::numeric, 1), 'latency_us', round((2.6 + (p % 5) / 20.0)::numeric, 2))), '[]')
                     FROM generate_series(1, j.current_nodes) s, generate_series(1, j.current_nodes) p WHERE p <> s) ELSE '[]'::jsonb END) END,
            CASE j.state WHEN 'failed' THEN 'failed' ELSE j.state END,
            CASE WHEN j.state = 'completed_with_warnings' THEN '1 of ' || j.current_nodes || ' nodes failed this benchmark' END,
            j.started_at, j.ended_at, j.ended_at
     FROM jobs j
     CROSS JOIN LATERAL (VALUES (0, 'quick_mark', 'QuickMark'), (1, 'cluster_network', 'Cluster Network')) b(n, id, name)
     WHERE j.state IN ('completed', 'completed_with_warnings', 'failed') AND j.current_nodes > 0
       AND (b.id = 'quick_mark' OR ('cluster_network' = ANY (j.benchmark_ids) AND j.state <> 'failed'))`,
  );
  await db.query(`SELECT setval('entity_id_seq', ${NEXT_ID})`);
  if (!process.env.BENCH_SQL_DUMP) await db.query(`DROP TABLE bench_tenants, bench_users, bench_gpus, bench_variants`);

  const t = performance.now();
  await db.query(`SET max_parallel_maintenance_workers = 2`);
  for (const d of defs) await db.query(d.indexdef);
  console.log(`  ${defs.length} indexes rebuilt in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await db.query(`SET session_replication_role = origin`);
  // The counters' trigger did not fire during the load (replica role): count what is there
  // with the very statements the migration that introduced them runs.
  const t2 = performance.now();
  await db.query(`TRUNCATE job_counts, job_tag_counts, job_benchmark_counts`);
  await db.query(backfillSql("counters"));
  console.log(`  live-job counters rebuilt in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  const t3 = performance.now();
  await db.query(`TRUNCATE usage_counts`);
  await db.query(backfillSql("usage"));
  await db.query(backfillSql("usage_running"));
  console.log(`  usage counters rebuilt in ${((performance.now() - t3) / 1000).toFixed(1)} s`);
  const t5 = performance.now();
  await db.query(`TRUNCATE task_counts`);
  await db.query(backfillSql("task_counts"));
  console.log(`  task counters rebuilt in ${((performance.now() - t5) / 1000).toFixed(1)} s`);
  const t4 = performance.now();
  await db.query(`TRUNCATE job_search, job_tag_pair_counts, job_name_tokens, job_name_words`);
  // job_search's own trigger (the names' words) would run once per copied row; the words are
  // counted in bulk after it.
  await db.query(`SET session_replication_role = replica`);
  await db.query(backfillSql("search"));
  await db.query(`SET session_replication_role = origin`);
  await db.query(backfillSql("tag_pairs"));
  await db.query(backfillSql("name_words"));
  console.log(`  job_search, its tag pairs and name words copied in ${((performance.now() - t4) / 1000).toFixed(1)} s`);
  await seedMachines(db);
}

/**
 * The fleet (GET /machines): one row per machine and customer, as node registration keeps it
 * (lib/agent/service.ts) — first and last seen, the latest node's GPU model, inventory and job.
 * Derived from the seeded tasks after their indexes exist; also run on a seed that predates it.
 */
export async function seedMachines(db: pg.Client): Promise<void> {
  // One sequential pass, sorted per machine (a lookup per machine would read the tasks table
  // at random, millions of times).
  await step(
    db,
    "machines",
    `INSERT INTO machines (uuid, hostname, customer_id, gpu_model, gpu_count, first_seen_at, last_seen_at, last_job_id, last_performance_status)
     SELECT DISTINCT ON (customer_id, machine_uuid) machine_uuid, 'gpu-c' || customer_id || '-' || left(machine_uuid, 8), customer_id,
            gpu_model, gpu_count, min(created_at) OVER w, max(COALESCE(last_heartbeat_at, created_at)) OVER w, job_id,
            COALESCE(performance->>'status', 'unknown')
     FROM tasks WHERE customer_id IS NOT NULL
     WINDOW w AS (PARTITION BY customer_id, machine_uuid)
     ORDER BY customer_id, machine_uuid, created_at DESC
     ON CONFLICT (customer_id, uuid) DO NOTHING`,
  );
  // A fleet has a few machines under suspicion or out of service: 1 % suspect, 0.5 % quarantined.
  await db.query(
    `UPDATE machines SET health_state = CASE WHEN id % 200 = 7 THEN 'quarantined' ELSE 'suspect' END
     WHERE id % 100 = 3 OR id % 200 = 7`,
  );
  await db.query(`ANALYZE machines`);
  // The fleet roll-ups copy the machines' ids and GPU models: built after them, with the very
  // statements of the migration that introduced them.
  const t = performance.now();
  await db.query(backfillSql("machine_rollups"));
  await db.query(`ANALYZE machine_rollups, machine_rollup_counts`);
  console.log(`  machine roll-ups built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
