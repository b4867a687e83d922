// Wire shapes as the dashboard consumes them, derived from the serializers so they cannot drift.
import type { serializeJob } from "../jobs/serialize";
import type { getJobDetail } from "../jobs/queries";
import type { JsonText } from "../util/json-text";
import type { JobPerformance, NodePerformance } from "../performance/scoring";

export type JobListItem = Omit<ReturnType<typeof serializeJob>, "performance" | "performance_nodes"> & {
  performance: JobPerformance | null;
  performance_nodes: PerformanceNode[] | null;
};
export type PerformanceNode = Partial<NodePerformance> & {
  status: NodePerformance["status"];
  task_id: string;
  machine_uuid: string;
  gpu_model: string | null;
  gpu_count: number | null;
};
export type JobDetail = Wire<Awaited<ReturnType<typeof getJobDetail>>>;

/** A server value as the client receives it: a document the server wrote as its text is its value here. */
type Wire<T> =
  T extends JsonText<infer U>
    ? U
    : T extends (infer E)[]
      ? Wire<E>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

export interface JobListResponse {
  results: JobListItem[];
  pagination: {
    page: number;
    per_page: number;
    total: number;
    total_pages: number;
    has_next: boolean;
    has_prev: boolean;
  };
}
export interface JobStatsResponse {
  alert_job_count: number;
  regressed_job_count: number;
}
export interface JobTagsResponse {
  tags: string[];
}
