// GET /schedules/{schedule_id} – one schedule with its runs; PATCH – edit, pause, resume; DELETE – remove
import { withApi } from "@/lib/api/with-api";
import { parseJson, parseQuery, parseWith } from "@/lib/api/parse";
import { getScheduleQuerySchema, scheduleIdParamSchema, updateScheduleSchema } from "@/lib/schedules/schemas";
import { getSchedule } from "@/lib/schedules/queries";
import { deleteSchedule, updateSchedule } from "@/lib/schedules/commands";

type Params = { schedule_id: string };
const idOf = (params: Params) => parseWith(scheduleIdParamSchema, params).schedule_id;

export const GET = withApi<Params>(async ({ url, params, db, caller }) =>
  getSchedule(db, caller, idOf(params), parseQuery(getScheduleQuerySchema, url).runs),
);

export const PATCH = withApi<Params>(async ({ req, params, db, caller }) =>
  updateSchedule(db, caller, idOf(params), await parseJson(updateScheduleSchema, req)),
);

export const DELETE = withApi<Params>(async ({ params, db, caller }) => deleteSchedule(db, caller, idOf(params)));
