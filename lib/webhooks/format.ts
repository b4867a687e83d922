import type { EventEnvelope } from "../events/outbox";
import { env } from "../config/env";
import type { WebhookFormat } from "./schemas";
import { TEST_EVENT_TYPE } from "./schemas";

/** What a delivery's body is: the envelope as JSON, or a Slack incoming-webhook message about it. */
export type DeliveryEnvelope = Omit<EventEnvelope, "type"> & { type: EventEnvelope["type"] | typeof TEST_EVENT_TYPE };

export function deliveryBody(format: WebhookFormat, envelope: DeliveryEnvelope): string {
  return JSON.stringify(format === "slack" ? slackMessage(envelope) : envelope);
}

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
// Slack mrkdwn treats these three as markup; names come from users.
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function jobLink(data: Record<string, unknown>): string {
  const id = str(data.job_id);
  const name = esc(str(data.name) ?? `job ${id}`);
  const base = env("NEXTAUTH_URL");
  return base && id ? `<${base.replace(/\/$/, "")}/jobs/${id}|${name}>` : `*${name}*`;
}

function nodeName(data: Record<string, unknown>): string {
  return esc(str(data.hostname) ?? str(data.machine_uuid) ?? str(data.machine_id) ?? "a node");
}

/** One line in words per event type; the Slack message's text (also its notification preview). */
export function summary(envelope: DeliveryEnvelope): string {
  const d = envelope.data;
  switch (envelope.type) {
    case "job.completed":
      return `:white_check_mark: Job ${jobLink(d)} ${d.state === "completed_with_warnings" ? "completed with warnings" : "completed"}${d.failed_message ? `: ${esc(String(d.failed_message))}` : ""}`;
    case "job.failed":
      return `:x: Job ${jobLink(d)} ${d.state === "aborted" ? "was aborted" : "failed"}${d.failed_message ? `: ${esc(String(d.failed_message))}` : ""}`;
    case "job.underperforming": {
      const nodes = Array.isArray(d.nodes) ? (d.nodes as Record<string, unknown>[]) : [];
      const names = nodes.map((n) => esc(str(n.machine_uuid) ?? "?")).join(", ");
      return `:warning: Job ${jobLink(d)} is underperforming${names ? ` on ${names}` : ""}`;
    }
    case "node.regressed":
      return `:chart_with_downwards_trend: Node ${nodeName(d)} regressed against its own history`;
    case "node.suspect":
      return `:warning: Node ${nodeName(d)} is suspect: a confirmation run repeated its poor result`;
    case "node.quarantined":
      return `:no_entry: Node ${nodeName(d)} was quarantined`;
    case TEST_EVENT_TYPE:
      return ":wave: Test delivery from Benchboard: this webhook works";
  }
}

function slackMessage(envelope: DeliveryEnvelope) {
  const text = summary(envelope);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `Benchboard · ${envelope.type} · event ${envelope.id}` }],
      },
    ],
  };
}
