import { useFreshDatabase } from "../test/helpers/db";
import { api, V1, inProcessFetch } from "../test/helpers/api";
import { signedInUser } from "../test/helpers/users";
import { AgentClient } from "../lib/agent/client";
import { rng, simulatedNodes, simulateQuickmark } from "../lib/agent/simulate";

const N = Number(process.env.N ?? 3000), C = Number(process.env.C ?? 32);
const db = await useFreshDatabase();
const u = await signedInUser("customer_admin", "Bench");
const job = (await api.post(`${V1}/jobs`, { token: u.token, body: { name: "ingest", benchmarks: ["quick_mark"], node_count: 256 } })).body;
const agent = new AgentClient({ baseUrl: "http://localhost", token: job.token, retries: 0, fetch: inProcessFetch } as any);
const nodes = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: 64, degraded: 0, seed: 1 });
const tasks: string[] = [];
for (const n of nodes) { const { degraded: _d, ...identity } = n; tasks.push((await agent.register(identity)).id); }
const r = rng(9);
const bench = process.env.BID ?? "quick_mark";
const payloads = Array.from({ length: N }, (_, i) => ({ task: tasks[i % tasks.length], key: `u-${i}`, body: { benchmark_id: bench, state: "completed", results: simulateQuickmark(nodes[i % nodes.length], r) } }));
let next = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await Promise.all(Array.from({ length: C }, async () => { while (next < payloads.length) { const p = payloads[next++]; await agent.uploadResult(p.task, p.body as any, p.key); } }));
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(`${N} uploads in ${s.toFixed(2)}s = ${(N / s).toFixed(0)}/s; cpu user ${(cpu.user/1000/N).toFixed(2)} ms/upload sys ${(cpu.system/1000/N).toFixed(2)}`);
await db.teardown();
process.exit(0);
