import { z } from "../validation/zod";
import { MAX_TAG_LENGTH } from "../jobs/limits";
import { benchmarkItemSchema, queryInt, tagSchema } from "../jobs/schemas";
import { checkCron } from "./cron";

/** Schedule payloads: the handlers, OpenAPI and the schedules page validate with these. */

/** The name becomes the jobs' tag `schedule:<name>`, so it follows the tag rules and fits one. */
export const MAX_SCHEDULE_NAME_LENGTH = MAX_TAG_LENGTH - "schedule:".length;
export const scheduleNameSchema = z
  .string("name is required")
  .trim()
  .min(1, "Name must not be empty")
  .max(MAX_SCHEDULE_NAME_LENGTH, `Name must be at most ${MAX_SCHEDULE_NAME_LENGTH} characters`)
  .pipe(tagSchema);

const cronSchema = z
  .string("cron is required")
  .trim()
  .max(200)
  .superRefine((c, ctx) => {
    const check = checkCron(c);
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
  })
  .describe("UTC cron: 5 fields, or 6 with seconds first, e.g. `0 * * * *` (hourly)");

export const scheduleTargetSchema = z
  .object({
    gpu_model: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("Enrolled machines whose GPU model contains this (case-insensitive)"),
    machine_ids: z.array(z.int().min(1).max(2_147_483_647)).max(256).optional().describe("These machines only"),
    tags: z.array(tagSchema).max(10).optional().describe("Machines carrying every one of these labels"),
  })
  .strict();

export const createScheduleSchema = z.object({
  name: scheduleNameSchema,
  cron: cronSchema,
  benchmarks: z.array(benchmarkItemSchema).min(1, "At least one benchmark is required").max(32),
  target: scheduleTargetSchema.default({}),
  only_idle: z.boolean().default(true).describe("Skip machines that are busy with another job"),
  paused: z.boolean().default(false),
  customer_id: z.int().min(1).max(2_147_483_647).optional().describe("Root admins: the customer it runs for"),
});
export type CreateScheduleInput = z.output<typeof createScheduleSchema>;

export const updateScheduleSchema = z
  .object({
    name: scheduleNameSchema.optional(),
    cron: cronSchema.optional(),
    benchmarks: z.array(benchmarkItemSchema).min(1).max(32).optional(),
    target: scheduleTargetSchema.optional(),
    only_idle: z.boolean().optional(),
    paused: z.boolean().optional().describe("true pauses, false resumes (from the next tick on)"),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update" });
export type UpdateScheduleInput = z.output<typeof updateScheduleSchema>;

export const scheduleIdParamSchema = z.object({
  schedule_id: z
    .string()
    .regex(/^\d{1,9}$/, "schedule_id must be a positive integer")
    .transform(Number),
});

export const listSchedulesQuerySchema = z.object({
  runs: queryInt(0, 50, "runs").default(5).describe("Latest runs listed per schedule"),
});
export type ListSchedulesQuery = z.output<typeof listSchedulesQuerySchema>;

export const getScheduleQuerySchema = z.object({
  runs: queryInt(0, 200, "runs").default(20),
});

/** The tag every job of a schedule carries. */
export const scheduleTag = (name: string) => `schedule:${name}`;
