import type { JobSortField } from "@/lib/jobs/limits";

export const SORT_LABELS: Record<JobSortField, string> = {
  created_at: "Created",
  started_at: "Started",
  ended_at: "Ended",
  expires_at: "Expires",
  name: "Name",
  state: "State",
  node_count: "Nodes (expected)",
  current_nodes: "Nodes (current)",
};
