import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import type { Prisma } from "../generated/prisma/client";
import { assertMay, scopeOf } from "../auth/permissions";
import { ConflictError, ForbiddenError, NotFoundError } from "../api/errors";
import { encryptSecret, generateWebhookSecret } from "./secrets";
import { queueDelivery } from "./dispatch";
import { TEST_EVENT_TYPE, type CreateWebhookRequest } from "./schemas";

/**
 * Webhook administration: customer admins manage their customer's webhooks, root admins any
 * customer's (lib/auth/permissions.ts, `manage_webhooks`). A webhook of another customer does
 * not exist for a customer admin (404).
 */

function assertWebhookAdmin(caller: Caller) {
  assertMay(caller, "manage_webhooks", "Only customer admins and root admins manage webhooks");
}

function visibleWhere(caller: Caller): Prisma.WebhookWhereInput {
  assertWebhookAdmin(caller);
  return scopeOf(caller.role, "manage_webhooks") === "all" ? {} : { customerId: caller.customerId };
}

type WebhookRow = Prisma.WebhookGetPayload<{ include: { customer: { select: { name: true } } } }>;

export function serializeWebhook(w: WebhookRow) {
  return {
    id: w.id,
    customer_id: w.customerId,
    customer_name: w.customer.name,
    url: w.url,
    events: w.events,
    format: w.format,
    created_by: w.createdBy,
    created_at: w.createdAt.toISOString(),
  };
}
export type WebhookView = ReturnType<typeof serializeWebhook>;

async function findWebhook(db: Db, caller: Caller, id: number): Promise<WebhookRow> {
  const w = await db.webhook.findFirst({
    where: { id, ...visibleWhere(caller) },
    include: { customer: { select: { name: true } } },
  });
  if (!w) throw new NotFoundError(`Webhook with id ${id} not found`);
  return w;
}

/** The secret is answered here and nowhere else: it is stored encrypted and never listed. */
export async function createWebhook(db: Db, caller: Caller, input: CreateWebhookRequest) {
  assertWebhookAdmin(caller);
  const customerId = input.customer_id ?? caller.customerId;
  if (customerId !== caller.customerId && scopeOf(caller.role, "manage_webhooks") !== "all")
    throw new ForbiddenError("Customer admins create webhooks only for their own customer");
  if (!(await db.customer.findUnique({ where: { id: customerId } })))
    throw new NotFoundError(`Customer with id ${customerId} not found`);
  const secret = input.secret ?? generateWebhookSecret();
  const w = await db.webhook.create({
    data: {
      customerId,
      url: input.url,
      events: input.events,
      format: input.format,
      secretEncrypted: encryptSecret(secret),
      createdBy: caller.userId,
    },
    include: { customer: { select: { name: true } } },
  });
  return { ...serializeWebhook(w), secret };
}

export async function listWebhooks(db: Db, caller: Caller) {
  const rows = await db.webhook.findMany({
    where: visibleWhere(caller),
    include: { customer: { select: { name: true } } },
    orderBy: { id: "asc" },
  });
  const stats = await db.webhookDelivery.groupBy({
    by: ["webhookId", "state"],
    where: { webhookId: { in: rows.map((r) => r.id) } },
    _count: { _all: true },
  });
  const counts = (id: number, state: string) =>
    stats.find((s) => s.webhookId === id && s.state === state)?._count._all ?? 0;
  return {
    results: rows.map((w) => ({
      ...serializeWebhook(w),
      deliveries: {
        succeeded: counts(w.id, "succeeded"),
        failed: counts(w.id, "failed"),
        pending: counts(w.id, "pending") + counts(w.id, "sending"),
      },
    })),
  };
}

export async function deleteWebhook(db: Db, caller: Caller, id: number) {
  const w = await findWebhook(db, caller, id);
  // Its deliveries and their attempts go with it; queued jobs for them find nothing and stop.
  await db.webhook.deleteMany({ where: { id: w.id } });
  return { id: w.id, deleted: true };
}

/** Sends a `webhook.test` event to this webhook only, through the same queue as real events. */
export async function sendTestEvent(db: Db, caller: Caller, id: number) {
  const w = await findWebhook(db, caller, id);
  const delivery = await db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        customerId: w.customerId,
        type: TEST_EVENT_TYPE,
        payload: { webhook_id: w.id, message: "Test delivery from Benchboard", requested_by: caller.email },
        // Not for the dispatcher: no other webhook receives a test event.
        fannedOutAt: new Date(),
      },
    });
    return tx.webhookDelivery.create({ data: { webhookId: w.id, eventId: event.id } });
  });
  await queueDelivery(db, delivery.id);
  return serializeDelivery(await deliveryWithLog(db, delivery.id));
}

async function deliveryWithLog(db: Db, id: bigint) {
  return db.webhookDelivery.findUniqueOrThrow({
    where: { id },
    include: { event: { select: { type: true } }, attemptLog: { orderBy: { id: "asc" } } },
  });
}
type DeliveryRow = Awaited<ReturnType<typeof deliveryWithLog>>;

export function serializeDelivery(d: DeliveryRow) {
  return {
    id: d.id.toString(),
    webhook_id: d.webhookId,
    event_id: d.eventId.toString(),
    event_type: d.event.type,
    state: d.state,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_latency_ms: d.lastLatencyMs,
    last_error: d.lastError,
    created_at: d.createdAt.toISOString(),
    last_attempt_at: d.lastAttemptAt?.toISOString() ?? null,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    attempt_log: d.attemptLog.map((a) => ({
      at: a.startedAt.toISOString(),
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
    })),
  };
}
export type DeliveryView = ReturnType<typeof serializeDelivery>;

export async function listDeliveries(db: Db, caller: Caller, id: number, { limit }: { limit: number }) {
  const w = await findWebhook(db, caller, id);
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId: w.id },
    include: { event: { select: { type: true } }, attemptLog: { orderBy: { id: "asc" } } },
    orderBy: { id: "desc" },
    take: limit,
  });
  return { webhook: serializeWebhook(w), results: rows.map(serializeDelivery) };
}

/** Sends a delivery again, whatever its outcome so far; one being sent right now is a 409. */
export async function redeliver(db: Db, caller: Caller, id: number, deliveryId: bigint) {
  const w = await findWebhook(db, caller, id);
  const d = await db.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId: w.id } });
  if (!d) throw new NotFoundError(`Delivery with id ${deliveryId} not found`);
  const reset = await db.webhookDelivery.updateMany({
    where: { id: d.id, state: { not: "sending" } },
    data: { state: "pending", queuedAt: null },
  });
  if (!reset.count)
    throw new ConflictError(
      `Delivery ${deliveryId} is being sent right now; try again shortly`,
      "DELIVERY_IN_PROGRESS",
    );
  await queueDelivery(db, d.id);
  return serializeDelivery(await deliveryWithLog(db, d.id));
}
