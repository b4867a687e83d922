import type { SimulatedNode } from "../../agent/simulate";
import { DEMO_STORIES, demoFleet } from "./fleet";

export type PlannedOutcome =
  "ok" | "degraded" | "failed" | "warnings" | "cancelled" | "expired" | "created" | "starting" | "running";

export interface PlannedJob {
  atMs: number;
  customer: string;
  name: string;
  description: string;
  tags: string[];
  nodes: number;
  /** Machine templates, before the stories' time-dependent effects. */
  machines: SimulatedNode[];
  outcome: PlannedOutcome;
}

const DAY_MS = 86400_000;
const HOUR_MS = 3600_000;
const LIVE_JOBS = 6;

/** `count` of `n` items, evenly spread (first and last kept), so thinning keeps the shape of a schedule. */
function spread<T>(items: T[], count: number): T[] {
  if (count >= items.length) return items;
  if (count <= 0) return [];
  if (count === 1) return [items[items.length - 1]];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

// Job names are unique per customer: the date tells one night's check from the next.
const day = (atMs: number) => new Date(atMs).toISOString().slice(0, 10);

const nightly = (customer: string, m: SimulatedNode, atMs: number, outcome: PlannedOutcome = "ok"): PlannedJob => ({
  atMs,
  customer,
  name: `Nightly check ${m.hostname} ${day(atMs)}`,
  description: "Single-node health check",
  tags: ["nightly"],
  nodes: 1,
  machines: [m],
  outcome,
});

/**
 * What the demo history runs, oldest first, sized to about `jobs` jobs:
 *  - weekly multi-node cluster jobs of each cluster rack (up to 30 % of the jobs);
 *  - six live jobs at the end (created, starting, running);
 *  - of the rest, a third are the drifting node's nightly checks (at most one a night), six
 *    tell the maintenance story, and the others are nightly checks rotating over the fleet
 *    (one cancelled, one left to expire, an occasional degraded node).
 * With the e2e suite's 60 jobs the drifting node still gets 21 runs.
 */
export function planDemoJobs(opts: { jobs: number; days: number; startMs: number; endMs: number }): PlannedJob[] {
  const { jobs, days, startMs, endMs } = opts;
  const fleet = demoFleet();
  const night = (d: number, minutes = 0) => startMs + Math.floor(d) * DAY_MS + 2 * HOUR_MS + minutes * 60_000;
  const find = (customer: string, hostname: string) => {
    const m = fleet
      .filter((f) => f.rack.customer === customer)
      .flatMap((f) => f.machines)
      .find((x) => x.hostname === hostname);
    if (!m) throw new Error(`No demo machine ${hostname} in ${customer}`);
    return m;
  };

  const weeklyAll: PlannedJob[] = [];
  for (const { rack, machines } of fleet.filter((f) => f.rack.cluster)) {
    for (let w = 0, d = 2; d < days; w++, d += 7) {
      weeklyAll.push({
        atMs: night(d, 60),
        customer: rack.customer,
        name: `Weekly rack r${rack.rack} cluster validation (${machines.length} nodes) ${day(night(d))}`,
        description: "Compute and fabric validation of the whole rack",
        tags: ["weekly", `rack-${rack.rack}`],
        nodes: machines.length,
        machines,
        // One week a node's NCCL run times out: the job completes with warnings.
        outcome: rack.customer !== DEMO_STORIES.customer && w === 2 ? "warnings" : "ok",
      });
    }
  }
  weeklyAll.sort((a, b) => a.atMs - b.atMs);
  const weekly = spread(weeklyAll, Math.min(weeklyAll.length, Math.floor(jobs * 0.3)));
  const live = Math.max(0, Math.min(LIVE_JOBS, jobs - weekly.length));
  const rest = Math.max(0, jobs - weekly.length - live);

  const { customer } = DEMO_STORIES;
  const drifting = find(customer, DEMO_STORIES.drift.hostname);
  const driftRuns = Math.min(days, Math.round(rest / 3));
  const drift = spread(
    Array.from({ length: days }, (_, d) => nightly(customer, drifting, night(d))),
    driftRuns,
  );

  const repaired = find(customer, DEMO_STORIES.maintenance.hostname);
  const maintenance: PlannedJob[] =
    rest - driftRuns >= 6
      ? [
          nightly(customer, repaired, night(days * 0.4, 20)),
          nightly(customer, repaired, night(days * 0.5, 20), "degraded"),
          nightly(customer, repaired, night(days * 0.52, 20), "failed"),
          nightly(customer, repaired, night(days * 0.54, 20), "failed"),
          {
            ...nightly(customer, repaired, night(days * 0.56) + 10 * HOUR_MS),
            name: `Post-maintenance re-validation ${repaired.hostname} ${day(night(days * 0.56))}`,
            description: DEMO_STORIES.maintenance.note,
            tags: [DEMO_STORIES.maintenance.tag],
          },
          nightly(customer, repaired, night(days * 0.6, 20)),
        ]
      : [];

  // The other machines take turns; stepping by 7 over the list mixes racks and customers.
  // The repeat offender runs only in the weekly job, so its latest run is always one of the bad ones.
  const storyHosts = new Set<string>([
    DEMO_STORIES.drift.hostname,
    DEMO_STORIES.maintenance.hostname,
    DEMO_STORIES.repeatOffender.hostname,
  ]);
  const pool = fleet.flatMap((f) =>
    f.machines
      .filter((m) => f.rack.customer !== customer || !storyHosts.has(m.hostname))
      .map((m) => ({ customer: f.rack.customer, m })),
  );
  const rotationRuns = rest - driftRuns - maintenance.length;
  const rotation = Array.from({ length: rotationRuns }, (_, i) => {
    const { customer: c, m } = pool[(i * 7) % pool.length];
    const outcome: PlannedOutcome =
      i === 1
        ? "cancelled"
        : i === 2
          ? "expired"
          : i % 11 === 6 && m.hostname !== DEMO_STORIES.throttling.hostname
            ? "degraded"
            : "ok";
    return nightly(c, m, night((i * days) / rotationRuns, 10 + (i % 5) * 7), outcome);
  });

  // Happening now: waiting for nodes, half joined, running (no agent behind them).
  const liveJobs: PlannedJob[] = [
    {
      ...nightly("Globex Compute", find("Globex Compute", "gpu-r5-n003"), 0, "created"),
      name: "Acceptance test gpu-r5-n003",
      tags: ["acceptance"],
    },
    {
      ...nightly(customer, find(customer, "gpu-r14-n004"), 0, "created"),
      name: "Driver upgrade check gpu-r14-n004",
      tags: ["driver-upgrade"],
    },
    multi("Globex Compute", ["gpu-r5-n001", "gpu-r5-n002"], "starting", "Burn-in rack r5 (2 nodes)"),
    multi(customer, ["gpu-r14-n001", "gpu-r14-n003"], "starting", "Burn-in rack r14 (2 nodes)"),
    multi("Globex Compute", ["gpu-r3-n001", "gpu-r3-n002"], "running", "Fabric check rack r3 (2 nodes)"),
    multi(customer, ["gpu-r12-n001", "gpu-r12-n002"], "running", "Fabric check rack r12 (2 nodes)"),
  ]
    .slice(LIVE_JOBS - live)
    .map((j, i) => ({ ...j, atMs: endMs - (live - i) * 20_000 }));

  function multi(c: string, hosts: string[], outcome: PlannedOutcome, name: string): PlannedJob {
    const machines = hosts.map((h) => find(c, h));
    return {
      atMs: 0,
      customer: c,
      name,
      description: "Compute and fabric validation",
      tags: ["burn-in"],
      nodes: machines.length,
      machines,
      outcome,
    };
  }

  const past = [...weekly, ...drift, ...maintenance, ...rotation].map((j) => ({
    ...j,
    atMs: Math.min(j.atMs, endMs - HOUR_MS),
  }));
  return [...past.sort((a, b) => a.atMs - b.atMs), ...liveJobs];
}
