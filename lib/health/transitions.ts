import type { Prisma } from "../generated/prisma/client";
import { toJsonColumn } from "../db/json-columns";
import { clock } from "../util/clock";
import { announceSuspect } from "./announce";
import type { HealthEvidence } from "./evidence";
import { MAY_BECOME_SUSPECT, isHealthState, type HealthEventKind, type HealthState } from "./states";

type Tx = Prisma.TransactionClient;

/** The machine row, locked for the transaction: health changes of one machine happen one at a time. */
export async function lockMachine(tx: Tx, machineId: number) {
  await tx.$queryRaw`SELECT id FROM machines WHERE id = ${machineId} FOR UPDATE`;
  const machine = await tx.machine.findUniqueOrThrow({ where: { id: machineId } });
  const state: HealthState = isHealthState(machine.healthState) ? machine.healthState : "healthy";
  return { machine, state };
}

/** One entry of a machine's health history. */
export async function recordHealthEvent(
  tx: Tx,
  e: {
    machineId: number;
    kind: HealthEventKind;
    from: HealthState;
    to: HealthState;
    userId?: number | null;
    note?: string | null;
    evidence?: HealthEvidence | null;
  },
) {
  return tx.machineHealthEvent.create({
    data: {
      machineId: e.machineId,
      kind: e.kind,
      fromState: e.from,
      toState: e.to,
      userId: e.userId ?? null,
      note: e.note ?? null,
      evidence: e.evidence ? toJsonColumn(e.evidence) : undefined,
      createdAt: clock.now(),
    },
  });
}

function suspectNote(evidence: HealthEvidence): string {
  const o = evidence.original;
  const c = evidence.confirmation;
  return c
    ? `Confirmed: node ${o.task_id} was ${o.verdict} and its re-run ${c.task_id} was ${c.verdict}`
    : `Node ${o.task_id} was ${o.verdict} (no confirmation re-run: CONFIRM_RERUNS=0)`;
}

/**
 * A confirmed bad verdict: a healthy or cleared machine becomes suspect and node.suspect is
 * written in the same transaction. A machine already suspect or quarantined keeps its state;
 * the new evidence still goes into its history.
 */
export async function markSuspect(tx: Tx, machineId: number, evidence: HealthEvidence): Promise<boolean> {
  const { machine, state } = await lockMachine(tx, machineId);
  const note = suspectNote(evidence);
  if (!MAY_BECOME_SUSPECT.includes(state)) {
    await recordHealthEvent(tx, { machineId, kind: "suspect", from: state, to: state, note, evidence });
    return false;
  }
  const now = clock.now();
  await tx.machine.update({
    where: { id: machineId },
    data: { healthState: "suspect", healthChangedAt: now, healthNote: note, healthEvidence: toJsonColumn(evidence) },
  });
  await recordHealthEvent(tx, { machineId, kind: "suspect", from: state, to: "suspect", note, evidence });
  await announceSuspect(tx, machine, state, evidence);
  return true;
}
