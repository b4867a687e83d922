import type { Db } from "../db/client";
import { parseWith } from "../api/parse";
import { appendLogsSchema, heartbeatSchema, registerNodeSchema, uploadResultSchema } from "./schemas";
import { appendLogs, currentJobView, finishTask, heartbeat, registerNode, storeResultWithChecks } from "./service";
import type { CurrentJob } from "../../agent/client";
import type { AgentApi } from "../../agent/run-node";

/**
 * The agent protocol in-process: same validation and services as the HTTP handlers, without
 * the network. Used to produce the demo history (with a moved clock) and by tools.
 */
export function directAgentApi(db: Db, jobId: bigint): AgentApi {
  const job = () => db.job.findUniqueOrThrow({ where: { id: jobId } });
  return {
    async currentJob() {
      return currentJobView(await job()) as unknown as CurrentJob;
    },
    async register(node) {
      const { task } = await registerNode(db, await job(), parseWith(registerNodeSchema, node));
      return task;
    },
    async uploadResult(taskId, result, key) {
      return (await storeResultWithChecks(db, await job(), BigInt(taskId), parseWith(uploadResultSchema, result), key))
        .result;
    },
    async logs(taskId, lines) {
      return appendLogs(db, await job(), BigInt(taskId), parseWith(appendLogsSchema, { lines }).lines);
    },
    async heartbeat(taskId, progress) {
      return heartbeat(db, await job(), BigInt(taskId), parseWith(heartbeatSchema, { progress }).progress);
    },
    async finish(taskId, state, failedMessage) {
      return finishTask(db, await job(), BigInt(taskId), state, failedMessage ?? null);
    },
  };
}
