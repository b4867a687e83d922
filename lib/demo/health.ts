import type { Db } from "../db/client";
import { readNodePerformance } from "../db/json-columns";
import { nodeEvidence } from "../health/evidence";
import { markSuspect } from "../health/transitions";
import { DEMO_STORIES } from "./fleet";

const BAD = new Set(["underperforming", "regressed"]);

/**
 * The repeat offender's health story: its last two bad runs stand as a flagged run and its
 * confirmation, so it is suspect (README "Demo data") and the fleet page has a machine to
 * quarantine. Demo machines are not enrolled, so the server would not re-run them itself.
 */
export async function plantSuspectMachine(db: Db): Promise<boolean> {
  const customer = await db.customer.findUnique({ where: { name: DEMO_STORIES.customer } });
  const machine =
    customer &&
    (await db.machine.findFirst({
      where: { customerId: customer.id, hostname: DEMO_STORIES.repeatOffender.hostname },
    }));
  if (!machine) return false;
  const tasks = await db.task.findMany({
    where: { machineUuid: machine.uuid, customerId: machine.customerId },
    include: { job: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 10,
  });
  const bad = tasks.filter((t) => BAD.has(readNodePerformance(t.performance)?.status ?? "unknown")).slice(0, 2);
  if (bad.length < 2) return false;
  const [confirmation, original] = bad;
  const evidence = {
    original: nodeEvidence(original, original.job.name, readNodePerformance(original.performance)),
    confirmation: nodeEvidence(confirmation, confirmation.job.name, readNodePerformance(confirmation.performance)),
  };
  return db.$transaction((tx) => markSuspect(tx, machine.id, evidence));
}
