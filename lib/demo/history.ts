import type { Db } from "../db/client";
import { cancelJob, createJob } from "../jobs/commands";
import { sweepJobs } from "../jobs/lifecycle";
import { findActiveCaller } from "../auth/users";
import { directAgentApi } from "../agent/direct-api";
import { simulateJob } from "../../agent/simulate-job";
import { rng, type SimulatedNode } from "../../agent/simulate";
import { clock } from "../util/clock";
import type { Caller } from "../auth/caller";
import { planDemoJobs, type PlannedJob } from "./schedule";
import { DEMO_STORIES } from "./fleet";
import { plantSuspectMachine } from "./health";

const DAY_MS = 86400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The story conditions a machine carries at time `at` (ms into the history, of `spanMs`):
 * the drifting node loses memory bandwidth week by week, the throttling node's GPU is always
 * slow, the repeat offender's clocks and the bad cable go wrong part-way through.
 */
function withStoryEffects(m: SimulatedNode, customer: string, at: number, spanMs: number): SimulatedNode {
  if (customer !== DEMO_STORIES.customer) return m;
  const { drift, throttling, slowLink, repeatOffender } = DEMO_STORIES;
  if (m.hostname === drift.hostname)
    return { ...m, effects: { memoryBandwidthFactor: 1 - drift.perWeek * (at / WEEK_MS) } };
  if (m.hostname === throttling.hostname)
    return { ...m, effects: { throttledGpu: { index: throttling.gpuIndex, factor: throttling.factor } } };
  if (m.hostname === repeatOffender.hostname && at >= spanMs * repeatOffender.since)
    return { ...m, effects: { computeFactor: repeatOffender.computeFactor } };
  if (m.hostname === slowLink.from && at >= spanMs * slowLink.since)
    return { ...m, effects: { slowLinks: { [slowLink.to]: slowLink.factor } } };
  return m;
}

async function callersByCustomer(db: Db): Promise<Map<string, Caller[]>> {
  const users = await db.user.findMany({
    where: { role: { in: ["user", "customer_admin"] }, active: true },
    include: { customer: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
  const out = new Map<string, Caller[]>();
  for (const u of users) {
    const caller = await findActiveCaller(db, u.id);
    if (caller) out.set(u.customer.name, [...(out.get(u.customer.name) ?? []), caller]);
  }
  return out;
}

/** Plays one planned job through the same services the agent endpoints call. */
async function playJob(db: Db, caller: Caller, job: PlannedJob, machines: SimulatedNode[], seed: number) {
  const created = await createJob(db, caller, {
    name: job.name,
    description: job.description,
    benchmarks: job.nodes > 1 ? ["quick_mark", "cluster_network"] : ["quick_mark"],
    node_count: job.nodes,
    tags: job.tags,
  });
  const api = directAgentApi(db, BigInt(created.id));
  const gpuModel = machines[0].gpu_model;
  const base = { gpuModel, nodes: job.nodes, seed, machines };
  switch (job.outcome) {
    case "created":
      return;
    case "starting":
      return void (await simulateJob(api, { ...base, silentNodes: job.nodes, absentNodes: 1 }));
    case "running":
    case "expired": // nodes never finish; the sweeper ends the job when its token expires
      return void (await simulateJob(api, { ...base, silentNodes: job.nodes }));
    case "cancelled":
      await simulateJob(api, { ...base, silentNodes: job.nodes });
      return void (await cancelJob(db, caller, BigInt(created.id)));
    case "failed":
      return void (await simulateJob(api, { ...base, failures: ["quick_mark"] }));
    case "warnings":
      return void (await simulateJob(api, { ...base, failures: [`cluster_network@${job.nodes - 1}`] }));
    case "degraded":
      return void (await simulateJob(api, { ...base, machines: machines.map((m) => ({ ...m, degraded: true })) }));
    case "ok":
      return void (await simulateJob(api, base));
  }
}

/**
 * The demo's history: each demo customer's fixed fleet runs nightly single-node checks and
 * weekly multi-node cluster jobs over the last `days` days, with the planted stories of
 * DEMO_STORIES (README "Demo data"). `jobs` is the number of jobs (see planDemoJobs for how
 * it is shared out). Produced through the same services the agent endpoints call, with the
 * clock moved back in time.
 */
export async function seedDemoHistory(
  db: Db,
  opts: { jobs?: number; days?: number; seed?: number; onProgress?: (done: number, total: number) => void } = {},
) {
  const days = opts.days ?? 60;
  const callers = await callersByCustomer(db);
  if (!callers.size) return 0;
  const r = rng(opts.seed ?? 2026);
  const realNow = clock.now;
  const end = realNow().getTime();
  const start = end - days * DAY_MS;
  const plan = planDemoJobs({ jobs: opts.jobs ?? 240, days, startMs: start, endMs: end }).filter((j) =>
    callers.has(j.customer),
  );
  try {
    for (const [i, job] of plan.entries()) {
      let t = job.atMs;
      // Each call to the clock moves it a few seconds: benchmarks take time.
      clock.now = () => new Date((t += 4000 + Math.floor(r.next() * 6000)));
      const machines = job.machines.map((m) => withStoryEffects(m, job.customer, job.atMs - start, end - start));
      await playJob(db, r.pick(callers.get(job.customer)!), job, machines, Math.floor(r.next() * 1e9));
      opts.onProgress?.(i + 1, plan.length);
    }
  } finally {
    clock.now = realNow;
  }
  await sweepJobs(db); // ends what expired in the simulated past
  await plantSuspectMachine(db);
  return plan.length;
}
