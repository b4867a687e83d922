import { z } from "../validation/zod";
import { JOB_STATES } from "./states";
import { bigintId, bigintIdString } from "../api/ids";
import { DATE_RANGE_MESSAGE, inDateRange } from "../api/dates";
import {
  FORBIDDEN_TAG_CHARS,
  JOB_SORT_FIELDS,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NODE_COUNT,
  MAX_PAGE,
  MAX_PER_PAGE,
  MAX_TAG_LENGTH,
  MAX_TAGS,
} from "./limits";

/**
 * The Jobs API payloads (docs/api-contract.md), defined once: route handlers validate with these, the
 * OpenAPI document is generated from them and the dashboard's forms reuse them.
 */

export const tagSchema = z
  .string()
  .trim()
  .min(1, "Tags must not be empty")
  .max(MAX_TAG_LENGTH, `Tags must be at most ${MAX_TAG_LENGTH} characters`)
  .refine((t) => !FORBIDDEN_TAG_CHARS.some((c) => t.includes(c)), {
    message: `Tags must not contain any of ${FORBIDDEN_TAG_CHARS.join(" ")}`,
  })
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), { message: "Tags must not contain control characters" });

export const tagsSchema = z
  .array(tagSchema)
  .max(MAX_TAGS, `At most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

export const jobNameSchema = z
  .string()
  .trim()
  .min(1, "Name must not be empty")
  .max(MAX_NAME_LENGTH, `Name must be at most ${MAX_NAME_LENGTH} characters`);

export const descriptionSchema = z
  .string()
  .max(MAX_DESCRIPTION_LENGTH, `Description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);

const benchmarkIdSchema = z.string().trim().min(1, "Benchmark id must not be empty").max(100);

export const benchmarkItemSchema = z.union([
  benchmarkIdSchema,
  z.object({
    benchmark_id: benchmarkIdSchema,
    config: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
]);

const JOB_TTL_MS = 24 * 60 * 60 * 1000;

/** Extensions: what a node must have, how long nodes may take, retries. All optional. */
export const jobRequirementsShape = {
  gpu_name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Nodes' GPU model must contain this (case-insensitive)"),
  gpu_count: z.int().min(1).max(64).optional().describe("Minimum GPUs per node"),
  min_vram_gb: z.number().min(0).max(4096).optional().describe("Minimum memory per GPU, GB"),
  max_timeout_assign_ms: z
    .int()
    .min(60_000)
    .max(JOB_TTL_MS)
    .optional()
    .describe("Time for all nodes to join, from creation"),
  max_timeout_run_ms: z.int().min(60_000).max(JOB_TTL_MS).optional().describe("Time to finish once all nodes joined"),
  max_retry_count: z.int().min(0).max(5).optional().describe("Times an agent retries a failed benchmark"),
};
export type JobRequirements = { [K in keyof typeof jobRequirementsShape]?: z.output<(typeof jobRequirementsShape)[K]> };

export const createJobSchema = z.object({
  name: jobNameSchema.optional(),
  description: descriptionSchema.nullable().optional(),
  benchmarks: z.array(benchmarkItemSchema).min(1, "At least one benchmark is required").max(32),
  node_count: z.int("node_count must be an integer").min(1).max(MAX_NODE_COUNT).default(1),
  tags: tagsSchema.default([]),
  ...jobRequirementsShape,
});
export type CreateJobInput = z.output<typeof createJobSchema>;

export const updateJobSchema = z
  .object({
    name: jobNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    tags: tagsSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update: give name, description or tags" });
export type UpdateJobInput = z.output<typeof updateJobSchema>;

// A JSON number or a numeric string; ids are bigints serialised as strings.
export const jobIdSchema = bigintId("Job id");

export const deleteJobSchema = z.object({ id: jobIdSchema });

// ---- query strings -------------------------------------------------------------------

export const queryInt = (min: number, max: number, name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be an integer`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be >= ${min}`).max(max, `${name} must be <= ${max}`));

export const queryBool = (name: string) =>
  z
    .enum(["true", "false", "1", "0", "True", "False"], { message: `${name} must be true or false` })
    .transform((v) => v === "true" || v === "1" || v === "True");

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const queryDate = (name: string) =>
  z
    .string()
    .regex(ISO_DATE, `${name} must be an ISO 8601 date or datetime`)
    .transform((v, ctx) => {
      // Date-only and offset-less values are UTC, as everywhere in the API.
      const normalised = /[T ]\d{2}:\d{2}/.test(v) && !/(Z|[+-]\d{2}(:?\d{2})?)$/.test(v) ? `${v}Z` : v;
      const d = new Date(normalised.replace(" ", "T"));
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: "custom", message: `${name} is not a valid date` });
        return z.NEVER;
      }
      if (!inDateRange(d)) {
        ctx.addIssue({ code: "custom", message: `${name} ${DATE_RANGE_MESSAGE}` });
        return z.NEVER;
      }
      return d;
    });

const sortBy = z.enum(JOB_SORT_FIELDS, { message: `sort_by must be one of ${JOB_SORT_FIELDS.join(", ")}` });
const sortOrder = z.enum(["asc", "desc"], { message: "sort_order must be asc or desc" });
const stateSchema = z.enum(JOB_STATES, { message: `state must be one of ${JOB_STATES.join(", ")}` });
const queryTags = z
  .array(z.string())
  .transform((v) => v.flatMap((s) => s.split(",")).filter(Boolean))
  .pipe(z.array(tagSchema).max(MAX_TAGS, `At most ${MAX_TAGS} tags`));

export const PERFORMANCE_STATUSES = ["ok", "underperforming", "regressed", "unknown"] as const;
export const JOB_INCLUDES = ["performance", "performance_nodes"] as const;

export const listJobsQuerySchema = z
  .object({
    page: queryInt(1, MAX_PAGE, "page").default(1),
    per_page: queryInt(1, MAX_PER_PAGE, "per_page").default(20),
    sort_by: sortBy.default("created_at"),
    sort_order: sortOrder.default("desc"),
    state: stateSchema.optional(),
    name: z.string().max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`).optional(),
    benchmark_id: z.string().max(100).optional(),
    tags: queryTags.optional(),
    created_after: queryDate("created_after").optional(),
    created_before: queryDate("created_before").optional(),
    node_count_min: queryInt(1, MAX_NODE_COUNT, "node_count_min").optional(),
    node_count_max: queryInt(1, MAX_NODE_COUNT, "node_count_max").optional(),
    include_results: queryBool("include_results").default(false),
    include: z
      .array(z.string())
      .transform((v) =>
        v
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(JOB_INCLUDES, { message: `include must be among ${JOB_INCLUDES.join(", ")}` })))
      .default([]),
    has_performance_data: queryBool("has_performance_data").optional(),
    // Extension for the dashboard's Performance page: the jobs behind alert_job_count.
    performance_status: z
      .enum(PERFORMANCE_STATUSES, { message: `performance_status must be one of ${PERFORMANCE_STATUSES.join(", ")}` })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.include.includes("performance_nodes") && !q.include.includes("performance")) {
      ctx.addIssue({ code: "custom", path: ["include"], message: "performance_nodes requires performance" });
    }
    if (q.node_count_min !== undefined && q.node_count_max !== undefined && q.node_count_min > q.node_count_max) {
      ctx.addIssue({
        code: "custom",
        path: ["node_count_min"],
        message: "node_count_min must not exceed node_count_max",
      });
    }
  });
export type ListJobsQuery = z.output<typeof listJobsQuerySchema>;
/**
 * How GET /jobs (and export, stats) read their query: repeatable keys, and `tag` — the older
 * SiliconMark spelling of a one-tag filter — as an alias of `tags` (docs/compatibility.md).
 */
export const TAG_ALIASES = { tag: "tags" } as const;
export const LIST_QUERY_OPTIONS = { arrays: ["tags", "include"], aliases: TAG_ALIASES } as const;
export const STATS_QUERY_OPTIONS = { arrays: ["tags"], aliases: TAG_ALIASES } as const;
/** For the OpenAPI document: the alias as the parameter clients send. */
export const tagAliasQueryShape = {
  tag: z.string().optional().describe("Alias of tags (one tag; older SiliconMark clients)"),
};

export const jobStatsQuerySchema = z.object({
  benchmark_id: z.literal("quick_mark", { message: "benchmark_id: v1 supports quick_mark only" }).default("quick_mark"),
  name: z.string().max(MAX_NAME_LENGTH).optional(),
  tags: queryTags.optional(),
  state: stateSchema.default("completed"),
  sort_by: sortBy.default("created_at"),
  sort_order: sortOrder.default("desc"),
});
export type JobStatsQuery = z.output<typeof jobStatsQuerySchema>;

export const jobResultsQuerySchema = z.object({
  include_display_names: queryBool("include_display_names").default(false),
  /** Leave out per-GPU / per-link detail arrays. */
  compact: queryBool("compact").default(false),
});

/** GET /jobs/{job_id}: the older SiliconMark page's switches; both default to true (the SiliconMark API (docs/api-contract.md) always includes both). */
export const jobDetailQuerySchema = z.object({
  include_tasks: queryBool("include_tasks").default(true),
  include_results: queryBool("include_results").default(true),
});
export type JobDetailQuery = z.output<typeof jobDetailQuerySchema>;

export const jobIdParamSchema = z.object({
  job_id: bigintIdString("job_id"),
});

/**
 * DELETE /jobs: bulk soft delete by age. At least one cut-off is required so a bare
 * DELETE can never wipe a customer's history.
 */
export const bulkDeleteJobsQuerySchema = z
  .object({
    created_before: queryDate("created_before").optional(),
    finished_before: queryDate("finished_before").optional(),
    benchmark_id: z.string().max(100).optional(),
  })
  .refine((q) => q.created_before || q.finished_before, {
    message: "Give created_before or finished_before (or both)",
  });
export type BulkDeleteJobsQuery = z.output<typeof bulkDeleteJobsQuerySchema>;

/** GET /jobs/export: the list's own query (listJobsQuerySchema) plus the file format. */
export const exportFormatQuerySchema = z.object({
  format: z.enum(["csv", "json"], { message: "format must be csv or json" }).default("csv"),
});
export const exportJobsQuerySchema = listJobsQuerySchema.extend(exportFormatQuerySchema.shape);
