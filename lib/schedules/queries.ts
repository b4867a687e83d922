import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { NotFoundError } from "../api/errors";
import { clock } from "../util/clock";
import { fleetAdminCustomerWhere } from "../enrollment/tokens";
import type { ListSchedulesQuery } from "./schemas";
import { serializeSchedule } from "./serialize";

const jobFields = { id: true, name: true, state: true, performanceStatus: true, deletedAt: true } as const;

export function scheduleInclude(runs: number) {
  return {
    customer: { select: { name: true } },
    user: { select: { email: true } },
    runs: { orderBy: { tickAt: "desc" as const }, take: runs, include: { job: { select: jobFields } } },
  };
}

/** Schedules the caller administers (manage_fleet), each with its latest runs. */
export async function listSchedules(db: Db, caller: Caller, q: ListSchedulesQuery) {
  const rows = await db.schedule.findMany({
    where: fleetAdminCustomerWhere(caller),
    include: scheduleInclude(q.runs),
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const now = clock.now();
  return { results: rows.map((s) => serializeSchedule(s, now)) };
}

export async function findSchedule(db: Db, caller: Caller, id: number, runs = 20) {
  const row = await db.schedule.findFirst({
    where: { id, ...fleetAdminCustomerWhere(caller) },
    include: scheduleInclude(runs),
  });
  if (!row) throw new NotFoundError(`Schedule with id ${id} not found`);
  return row;
}

export async function getSchedule(db: Db, caller: Caller, id: number, runs: number) {
  return serializeSchedule(await findSchedule(db, caller, id, runs), clock.now());
}
