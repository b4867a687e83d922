import type { Db } from "../db/client";
import { cancelJob, createJob } from "../jobs/commands";
import { sweepJobs } from "../jobs/lifecycle";
import { findActiveCaller } from "../auth/users";
import { directAgentApi } from "../agent/direct-api";
import { simulateJob } from "../../agent/simulate-job";
import { rng, SIMULATED_GPU_MODELS } from "../../agent/simulate";
import { clock } from "../util/clock";
import type { Caller } from "../auth/caller";

const TAGS = ["production", "staging", "acceptance", "burn-in", "rack-12", "rack-14", "provider: aws", "provider: coreweave", "nightly", "after-maintenance", "driver-upgrade"];

/**
 * A realistic job history for the demo: jobs over the last `days` days across GPU models,
 * single- and multi-node, every state, some underperforming nodes. Produced through the
 * same services the agent endpoints call, with the clock moved back in time.
 */
export async function seedDemoHistory(db: Db, opts: { jobs?: number; days?: number; seed?: number; onProgress?: (done: number, total: number) => void } = {}) {
  const total = opts.jobs ?? 240;
  const days = opts.days ?? 60;
  const r = rng(opts.seed ?? 2026);
  const users = await db.user.findMany({ where: { role: { in: ["user", "customer_admin"] }, active: true } });
  const callers = (await Promise.all(users.map((u) => findActiveCaller(db, u.id)))).filter((c): c is Caller => !!c);
  if (!callers.length) return 0;
  const realNow = clock.now;
  const end = realNow().getTime();
  let cursor = end - days * 86400_000;
  const step = (days * 86400_000) / total;
  try {
    const live = Math.min(6, total);
    for (let i = 0; i < total; i++) {
      cursor += step * (0.5 + r.next());
      // The last few jobs are happening now: waiting for nodes, starting, running.
      const liveIndex = i - (total - live);
      const start = liveIndex >= 0 ? end - (live - liveIndex) * 20_000 : Math.min(cursor, end - 3600_000);
      let t = start;
      // Each call to the clock moves it a few seconds: benchmarks take time.
      clock.now = () => new Date((t += 4000 + Math.floor(r.next() * 6000)));
      const caller = r.pick(callers);
      const gpuModel = r.pick(SIMULATED_GPU_MODELS);
      const nodes = liveIndex >= 2 ? r.pick([2, 4, 8]) : r.pick([1, 1, 1, 2, 2, 4, 4, 8]);
      const tags = [...new Set(Array.from({ length: Math.floor(r.next() * 3) }, () => r.pick(TAGS)))];
      const job = await createJob(db, caller, {
        name: `${gpuModel.replace("NVIDIA ", "").split(" ")[0]} ${nodes > 1 ? `${nodes}-node ` : ""}check #${i + 1}`,
        description: nodes > 1 ? "Compute and fabric validation" : "Single-node health check",
        benchmarks: nodes > 1 ? ["quick_mark", "cluster_network"] : ["quick_mark"],
        node_count: nodes,
        tags,
      });
      const api = directAgentApi(db, BigInt(job.id));
      const roll = r.next();
      const seed = Math.floor(r.next() * 1e9);
      if (liveIndex >= 0) {
        // created (no node yet), starting (half joined), running (all joined, mid-run).
        if (liveIndex >= 2) await simulateJob(api, { gpuModel, nodes, seed, silentNodes: nodes, absentNodes: liveIndex < 4 ? nodes / 2 : 0 });
        continue;
      }
      if (roll < 0.03) {
        // Cancelled while running.
        await simulateJob(api, { gpuModel, nodes, seed, silentNodes: nodes });
        await cancelJob(db, caller, BigInt(job.id));
        continue;
      }
      if (roll < 0.05) {
        // Nodes never finished; the sweeper ends it when its token expires.
        await simulateJob(api, { gpuModel, nodes, seed, silentNodes: nodes });
        continue;
      }
      const failures = roll < 0.09 ? ["quick_mark"] : roll < 0.16 && nodes > 1 ? [`cluster_network@${nodes - 1}`] : [];
      const degraded = r.next() < 0.12 ? 1 : 0;
      await simulateJob(api, { gpuModel, nodes, seed, degraded, failures });
      opts.onProgress?.(i + 1, total);
    }
  } finally {
    clock.now = realNow;
  }
  await sweepJobs(db); // ends what expired in the simulated past
  return total;
}
