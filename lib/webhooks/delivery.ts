import type { Db } from "../db/client";
import { envelopeOf } from "../events/outbox";
import { env } from "../config/env";
import { decryptSecret, SecretUnreadableError } from "./secrets";
import { deliveryBody } from "./format";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signing";
import type { WebhookFormat } from "./schemas";

/**
 * One attempt to deliver one (webhook, event) pair. A delivery row is claimed with a lease
 * before sending, so the same delivery is never in flight twice — whatever pg-boss does
 * (a job retried after an app server stopped, a redelivery racing a retry, two servers) —
 * and one that has succeeded is never sent again unless a person asks (redeliver).
 */

export type AttemptOutcome =
  | { kind: "succeeded" | "failed" | "retry"; statusCode: number | null; error: string | null }
  | { kind: "skipped"; reason: "gone" | "done" }
  | { kind: "busy" };

export class DeliveryRetry extends Error {}

const ERROR_MAX = 500;

function leaseSeconds(): number {
  // The lease outlives the attempt's own timeout, so it only lapses when its sender died.
  return env("WEBHOOK_TIMEOUT_SECONDS") + 15;
}

/** Claims the delivery for this sender; null when it is done, gone, or another sender holds it. */
async function claim(db: Db, deliveryId: bigint): Promise<"claimed" | "busy" | "gone" | "done"> {
  const claimed = await db.$executeRaw`
    UPDATE webhook_deliveries
       SET state = 'sending', lease_until = now() + make_interval(secs => ${leaseSeconds()}::float8),
           attempts = attempts + 1, last_attempt_at = now()
     WHERE id = ${deliveryId}
       AND (state = 'pending' OR (state = 'sending' AND lease_until < now()))`;
  if (claimed) return "claimed";
  const row = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { state: true } });
  if (!row) return "gone";
  return row.state === "sending" ? "busy" : "done";
}

async function send(url: string, body: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), env("WEBHOOK_TIMEOUT_SECONDS") * 1000);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Benchboard-Webhooks/1", ...headers },
      body,
      // A redirect is an answer, not a success: following it would post the event somewhere
      // the customer admin never entered.
      redirect: "manual",
      signal: controller.signal,
    });
    // Read (a little of) the answer so the connection is released and its failure can be shown.
    const text = (await res.text().catch(() => "")).slice(0, 200);
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "AbortError") return `No answer within ${env("WEBHOOK_TIMEOUT_SECONDS")} s`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${err.message}: ${cause.code}` : (cause?.message ?? err.message);
  }
  return String(err);
}

/**
 * Sends the delivery once and records the attempt. `lastTry`: no retry follows, so a failure
 * ends as `failed` instead of going back to `pending`.
 */
export async function attemptDelivery(db: Db, deliveryId: bigint, { lastTry }: { lastTry: boolean }) {
  const claimed = await claim(db, deliveryId);
  if (claimed === "busy") return { kind: "busy" } as const;
  if (claimed !== "claimed") return { kind: "skipped", reason: claimed } as const;

  const delivery = await db.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    include: { webhook: true, event: true },
  });
  const startedAt = new Date();
  const t0 = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let permanent = false;
  try {
    const secret = decryptSecret(delivery.webhook.secretEncrypted);
    const body = deliveryBody(delivery.webhook.format as WebhookFormat, envelopeOf(delivery.event));
    const res = await send(delivery.webhook.url, body, {
      [SIGNATURE_HEADER]: signatureHeader(secret, body),
      [EVENT_HEADER]: delivery.event.type,
      [DELIVERY_HEADER]: delivery.id.toString(),
    });
    statusCode = res.status;
    if (res.status < 200 || res.status > 299)
      error = `HTTP ${res.status}${res.text ? `: ${res.text.replace(/\s+/g, " ").trim()}` : ""}`;
  } catch (err) {
    permanent = err instanceof SecretUnreadableError;
    error = describe(err);
  }
  const latencyMs = Math.round(performance.now() - t0);
  const ok = error === null;
  const state = ok ? "succeeded" : lastTry || permanent ? "failed" : "pending";
  error = error?.slice(0, ERROR_MAX) ?? null;
  const recorded = await db.$transaction(async (tx) => {
    // The webhook may have been deleted while the request was out: nothing left to record.
    const res = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId },
      data: {
        state,
        leaseUntil: null,
        lastStatusCode: statusCode,
        lastLatencyMs: latencyMs,
        lastError: error,
        ...(ok ? { deliveredAt: new Date() } : {}),
      },
    });
    if (res.count)
      await tx.webhookDeliveryAttempt.create({ data: { deliveryId, startedAt, statusCode, latencyMs, error } });
    return res.count > 0;
  });
  if (!recorded) return { kind: "skipped", reason: "gone" } as const;
  return { kind: state === "pending" ? "retry" : state, statusCode, error } as const;
}
