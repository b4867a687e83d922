import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { readHealthEvidence } from "../db/json-columns";
import { machineCost, pricesFor } from "./cost";
import { evidenceRatio } from "./evidence";
import { isoTimeOrNull as iso } from "../util/iso-time";

type MachineHealthRow = {
  id: number;
  customerId: number;
  gpuModel: string | null;
  gpuCount: number;
  healthState: string;
  healthChangedAt: Date | null;
  healthNote: string | null;
  healthEvidence: Prisma.JsonValue | null;
};

/** A machine's health for its page: state, note, evidence, what it costs, and its history (oldest first). */
export async function machineHealth(db: Db, machine: MachineHealthRow) {
  const evidence = readHealthEvidence(machine.healthEvidence);
  const [events, prices] = await Promise.all([
    db.machineHealthEvent.findMany({
      where: { machineId: machine.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { user: { select: { email: true, name: true } } },
    }),
    pricesFor(db, machine.customerId, [machine.gpuModel]),
  ]);
  const bad = machine.healthState === "suspect" || machine.healthState === "quarantined";
  return {
    state: machine.healthState,
    changed_at: iso(machine.healthChangedAt),
    note: machine.healthNote,
    evidence,
    ...machineCost(machine, bad ? evidenceRatio(evidence) : null, prices),
    history: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      from_state: e.fromState,
      to_state: e.toState,
      at: e.createdAt.toISOString(),
      by: e.user ? (e.user.name ?? e.user.email) : null,
      note: e.note,
      evidence: readHealthEvidence(e.evidence),
    })),
  };
}

/** The health fields of fleet-list rows: state and, for suspect or quarantined machines, what they cost a day. */
export async function listHealth(
  db: Db,
  rows: { id: number }[],
): Promise<Map<number, { state: string; changed_at: string | null; capacity_lost_per_day: number | null }>> {
  const machines = await db.machine.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
    select: {
      id: true,
      customerId: true,
      gpuModel: true,
      gpuCount: true,
      healthState: true,
      healthChangedAt: true,
      healthEvidence: true,
    },
  });
  const prices = new Map<number, Map<string, number>>();
  for (const customerId of new Set(machines.map((m) => m.customerId)))
    prices.set(
      customerId,
      await pricesFor(
        db,
        customerId,
        machines.filter((m) => m.customerId === customerId).map((m) => m.gpuModel),
      ),
    );
  return new Map(
    machines.map((m) => {
      const bad = m.healthState === "suspect" || m.healthState === "quarantined";
      const ratio = bad ? evidenceRatio(readHealthEvidence(m.healthEvidence)) : null;
      return [
        m.id,
        {
          state: m.healthState,
          changed_at: iso(m.healthChangedAt),
          capacity_lost_per_day: machineCost(m, ratio, prices.get(m.customerId)!).capacity_lost_per_day,
        },
      ];
    }),
  );
}
