/**
 * The Jobs API's limits and sort fields, without zod: the schemas in ./schemas.ts are built
 * from these, and the Jobs page imports them from here so that its first load carries no
 * validation library (docs/performance-budget.md, "Jobs page").
 */

// Characters that break HTML, SQL-ish or shell contexts when tags are echoed back.
export const FORBIDDEN_TAG_CHARS = ["<", ">", '"', "'", ";", "{", "}", "`", "\\"] as const;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 50;
export const MAX_NAME_LENGTH = 60;
export const MAX_DESCRIPTION_LENGTH = 512;
export const MAX_NODE_COUNT = 256;
export const MAX_PER_PAGE = 300;
export const MAX_PAGE = 100_000;

export const JOB_SORT_FIELDS = [
  "created_at",
  "started_at",
  "ended_at",
  "expires_at",
  "name",
  "state",
  "node_count",
  "current_nodes",
] as const;
export type JobSortField = (typeof JOB_SORT_FIELDS)[number];
