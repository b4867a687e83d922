// GET /schedules – schedules the caller administers with their latest runs; POST – create one
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseQuery } from "@/lib/api/parse";
import { createScheduleSchema, listSchedulesQuerySchema } from "@/lib/schedules/schemas";
import { listSchedules } from "@/lib/schedules/queries";
import { createSchedule } from "@/lib/schedules/commands";

export const GET = withApi(async ({ url, db, caller }) =>
  listSchedules(db, caller, parseQuery(listSchedulesQuerySchema, url)),
);

export const POST = withApi(async ({ req, db, caller }) =>
  json(await createSchedule(db, caller, await parseJson(createScheduleSchema, req)), { status: 201 }),
);
