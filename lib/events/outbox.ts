import { z } from "../validation/zod";
import type { Prisma } from "../generated/prisma/client";
import { toJsonColumn } from "../db/json-columns";

/** What webhooks can subscribe to (docs/api-contract.md, "Webhooks"). */
export const EVENT_TYPES = [
  "job.completed",
  "job.failed",
  "job.underperforming",
  "node.regressed",
  "node.suspect",
  "node.quarantined",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const eventTypeSchema = z.enum(EVENT_TYPES);

/** The body every delivery carries: one schema for the outbox, the webhook sender and OpenAPI. */
export const eventEnvelopeSchema = z.object({
  id: z.string().describe("Event id (decimal string); the same on every redelivery of this event"),
  type: eventTypeSchema,
  created_at: z.string().describe("ISO 8601 time the change happened"),
  customer_id: z.number().int(),
  data: z.record(z.string(), z.unknown()).describe("The job or node the event is about; see the event type"),
});
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>;

type Tx = Pick<Prisma.TransactionClient, "event">;

/**
 * Records an event in the outbox. Call it with the transaction that makes the change, so the
 * event exists exactly when the change does: nothing is announced that was rolled back, and
 * nothing committed goes unannounced if the server stops right after.
 */
export async function emitEvent(tx: Tx, customerId: number, type: EventType, data: Record<string, unknown>) {
  return tx.event.create({ data: { customerId, type, payload: toJsonColumn(data) } });
}

export function envelopeOf(event: {
  id: bigint;
  customerId: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}): EventEnvelope {
  return {
    id: event.id.toString(),
    type: event.type as EventType,
    created_at: event.createdAt.toISOString(),
    customer_id: event.customerId,
    data: (event.payload ?? {}) as Record<string, unknown>,
  };
}
