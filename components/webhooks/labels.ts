import type { EventType } from "@/lib/events/outbox";

export const EVENT_LABEL: Record<EventType, string> = {
  "job.completed": "Job completed",
  "job.failed": "Job failed or aborted",
  "job.underperforming": "Job underperforming",
  "node.regressed": "Node regressed",
  "node.suspect": "Node suspect",
  "node.quarantined": "Node quarantined",
};

export const DELIVERY_TONE = {
  succeeded: "success",
  failed: "danger",
  pending: "warning",
  sending: "info",
} as const;
