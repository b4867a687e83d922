import type { Prisma } from "../generated/prisma/client";
import { emitEvent } from "../events/outbox";
import type { NodePerformance } from "../performance/scoring";
import { machineCost, pricesFor } from "./cost";
import { evidenceRatio, nodeEvidence, type HealthEvidence } from "./evidence";
import type { HealthState } from "./states";

/**
 * The node.* outbox events (docs/api-contract.md, "Webhooks"). Each is written with the
 * transaction that makes the change it reports: the stored verdict (node.regressed), the
 * machine becoming suspect (node.suspect) or quarantined (node.quarantined).
 */
type Tx = Prisma.TransactionClient;

type MachineRow = {
  id: number;
  uuid: string;
  hostname: string | null;
  customerId: number;
  gpuModel: string | null;
  gpuCount: number;
};

/** How every node.* event names its machine. */
export function machineRef(m: MachineRow) {
  return { id: m.id, uuid: m.uuid, hostname: m.hostname, gpu_model: m.gpuModel, gpu_count: m.gpuCount };
}

async function costOf(tx: Tx, m: MachineRow, ratio: number | null) {
  return machineCost(m, ratio, await pricesFor(tx, m.customerId, [m.gpuModel]));
}

/** node.regressed: a node's verdict, just stored, is regressed (its own history dropped significantly). */
export async function announceRegressedNode(
  tx: Tx,
  task: { id: bigint; jobId: bigint; machineUuid: string; createdAt: Date; startedAt: Date | null },
  job: { customerId: number; name: string },
  perf: NodePerformance,
) {
  const machine = await tx.machine.findUnique({
    where: { customerId_uuid: { customerId: job.customerId, uuid: task.machineUuid } },
  });
  if (!machine) return;
  const evidence = nodeEvidence(task, job.name, perf);
  await emitEvent(tx, job.customerId, "node.regressed", {
    machine: machineRef(machine),
    verdict: perf.status,
    evidence,
    ...(await costOf(tx, machine, evidence.limiting_metric?.ratio ?? null)),
  });
}

/** node.suspect: a confirmation re-run (or, with CONFIRM_RERUNS=0, the verdict itself) made the machine suspect. */
export async function announceSuspect(tx: Tx, machine: MachineRow, previous: HealthState, evidence: HealthEvidence) {
  await emitEvent(tx, machine.customerId, "node.suspect", {
    machine: machineRef(machine),
    health_state: "suspect",
    previous_state: previous,
    evidence,
    ...(await costOf(tx, machine, evidenceRatio(evidence))),
  });
}

/** node.quarantined: an admin took the machine out of the fleet (it is on the drain list now). */
export async function announceQuarantined(
  tx: Tx,
  machine: MachineRow,
  change: { previous: HealthState; note: string; by: { id: number; email: string } },
  evidence: HealthEvidence | null,
) {
  await emitEvent(tx, machine.customerId, "node.quarantined", {
    machine: machineRef(machine),
    health_state: "quarantined",
    previous_state: change.previous,
    note: change.note,
    by: change.by,
    evidence,
    ...(await costOf(tx, machine, evidenceRatio(evidence))),
  });
}
