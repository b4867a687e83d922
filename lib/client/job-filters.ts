import { JOB_SORT_FIELDS, type JobSortField } from "../jobs/limits";
import { JOB_STATES, type JobState } from "../jobs/states";

/**
 * The Jobs page's filter state. The URL's search params are its single source of truth:
 * these functions read it from and write it to the URL, and turn it into the GET /jobs query.
 * Defaults are left out of the URL so shared links stay short.
 */
export interface JobFilters {
  state?: JobState;
  name?: string;
  tags: string[];
  benchmark_id?: string;
  created_after?: string; // YYYY-MM-DD, UTC day
  created_before?: string;
  node_count_min?: number;
  node_count_max?: number;
  has_performance_data?: boolean;
  sort_by: JobSortField;
  sort_order: "asc" | "desc";
  page: number;
  per_page: number;
}

export const PER_PAGE_CHOICES = [10, 20, 50, 100] as const;
export const DEFAULT_FILTERS: JobFilters = {
  tags: [],
  sort_by: "created_at",
  sort_order: "desc",
  page: 1,
  per_page: 20,
};

type Params = { get(k: string): string | null; getAll(k: string): string[] };

const positiveInt = (v: string | null) => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);

/** Lenient: a hand-edited URL with junk falls back to defaults instead of breaking the page. */
export function parseJobFilters(params: Params): JobFilters {
  const state = params.get("state");
  const sortBy = params.get("sort_by");
  const perf = params.get("has_performance_data");
  return {
    state: (JOB_STATES as readonly string[]).includes(state ?? "") ? (state as JobState) : undefined,
    name: params.get("name")?.trim() || undefined,
    tags: [
      ...new Set(
        params
          .getAll("tags")
          .flatMap((t) => t.split(","))
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ],
    benchmark_id: params.get("benchmark_id") || undefined,
    created_after: day(params.get("created_after")),
    created_before: day(params.get("created_before")),
    node_count_min: positiveInt(params.get("node_count_min")),
    node_count_max: positiveInt(params.get("node_count_max")),
    has_performance_data: perf === "true" ? true : perf === "false" ? false : undefined,
    sort_by: (JOB_SORT_FIELDS as readonly string[]).includes(sortBy ?? "")
      ? (sortBy as JobSortField)
      : DEFAULT_FILTERS.sort_by,
    sort_order:
      params.get("sort_order") === "asc"
        ? "asc"
        : params.get("sort_order") === "desc"
          ? "desc"
          : DEFAULT_FILTERS.sort_order,
    page: positiveInt(params.get("page")) ?? 1,
    per_page: positiveInt(params.get("per_page")) ?? DEFAULT_FILTERS.per_page,
  };
}

/** Only what differs from the defaults; tags repeat like the API's. */
export function jobFiltersToSearch(f: JobFilters): string {
  const qs = new URLSearchParams();
  if (f.state) qs.set("state", f.state);
  if (f.name) qs.set("name", f.name);
  for (const t of f.tags) qs.append("tags", t);
  if (f.benchmark_id) qs.set("benchmark_id", f.benchmark_id);
  if (f.created_after) qs.set("created_after", f.created_after);
  if (f.created_before) qs.set("created_before", f.created_before);
  if (f.node_count_min !== undefined) qs.set("node_count_min", String(f.node_count_min));
  if (f.node_count_max !== undefined) qs.set("node_count_max", String(f.node_count_max));
  if (f.has_performance_data !== undefined) qs.set("has_performance_data", String(f.has_performance_data));
  if (f.sort_by !== DEFAULT_FILTERS.sort_by) qs.set("sort_by", f.sort_by);
  if (f.sort_order !== DEFAULT_FILTERS.sort_order) qs.set("sort_order", f.sort_order);
  if (f.page !== 1) qs.set("page", String(f.page));
  if (f.per_page !== DEFAULT_FILTERS.per_page) qs.set("per_page", String(f.per_page));
  return qs.toString();
}

/** Add a day so "created before 2026-11-20" includes all of the 20th, as a person means it. */
function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** The GET /jobs query for these filters, with what the table shows (GPU models, performance). */
export function jobFiltersToApiQuery(f: JobFilters) {
  return {
    state: f.state,
    name: f.name,
    tags: f.tags,
    benchmark_id: f.benchmark_id,
    created_after: f.created_after,
    created_before: f.created_before ? nextDay(f.created_before) : undefined,
    node_count_min: f.node_count_min,
    node_count_max: f.node_count_max,
    has_performance_data: f.has_performance_data,
    sort_by: f.sort_by,
    sort_order: f.sort_order,
    page: f.page,
    per_page: f.per_page,
    include_results: true,
    include: "performance",
  };
}
export type JobListApiQuery = ReturnType<typeof jobFiltersToApiQuery>;

/** Whether any narrowing filter is set (sorting and paging do not count). */
export function hasActiveFilters(f: JobFilters): boolean {
  return !!(
    f.state ||
    f.name ||
    f.tags.length ||
    f.benchmark_id ||
    f.created_after ||
    f.created_before ||
    f.node_count_min !== undefined ||
    f.node_count_max !== undefined ||
    f.has_performance_data !== undefined
  );
}

/** A patch that drops every narrowing filter but keeps sorting and page size. */
export const CLEARED_FILTERS: Partial<JobFilters> = {
  state: undefined,
  name: undefined,
  tags: [],
  benchmark_id: undefined,
  created_after: undefined,
  created_before: undefined,
  node_count_min: undefined,
  node_count_max: undefined,
  has_performance_data: undefined,
};
