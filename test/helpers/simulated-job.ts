import assert from "node:assert/strict";
import { AgentClient } from "../../agent/client";
import { simulateJob, type SimulationOptions } from "../../agent/simulate-job";
import { api, inProcessFetch, V1 } from "./api";

/** Creates a job through POST /jobs and runs it to the end with simulated agents (in-process HTTP). */
export async function runSimulatedJob(
  token: string,
  body: Record<string, unknown>,
  sim: Omit<SimulationOptions, "nodes"> & { nodes?: number },
) {
  const created = await api.post(`${V1}/jobs`, { token, body: { benchmarks: ["quick_mark"], ...body } });
  assert.equal(created.status, 201, created.text);
  const agent = new AgentClient({
    baseUrl: "http://localhost",
    token: created.body.token,
    fetch: inProcessFetch,
    backoffMs: 10,
  });
  await simulateJob(agent, { nodes: (body.node_count as number | undefined) ?? 1, ...sim });
  const detail = await api.get(`${V1}/jobs/${created.body.id}`, { token });
  assert.equal(detail.status, 200, detail.text);
  return detail.body;
}
