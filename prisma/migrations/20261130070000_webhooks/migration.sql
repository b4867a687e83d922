-- Webhooks (docs/api-contract.md, "Webhooks"): per-customer subscriptions to outbox events,
-- one delivery per (webhook, event), and every attempt to send it.

-- When the dispatcher turned the event into deliveries (null: not yet). Claimed with
-- FOR UPDATE SKIP LOCKED, so two app servers never fan out the same event.
ALTER TABLE "events" ADD COLUMN "fanned_out_at" TIMESTAMPTZ(3);
CREATE INDEX "events_pending_fanout_idx" ON "events"("id") WHERE "fanned_out_at" IS NULL;

CREATE TABLE "webhooks" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[] NOT NULL,
    -- json (the event envelope) | slack (a Slack incoming-webhook message)
    "format" TEXT NOT NULL DEFAULT 'json',
    -- AES-256-GCM under a key derived from the signing secret: the server must read it to
    -- sign, so it cannot be hashed, and a database dump alone does not reveal it.
    "secret_encrypted" TEXT NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhooks_customer_id_idx" ON "webhooks"("customer_id");
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" INTEGER NOT NULL,
    "event_id" BIGINT NOT NULL,
    -- pending (waiting for an attempt or a retry) | sending | succeeded | failed (retries used up)
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_status_code" INTEGER,
    "last_latency_ms" INTEGER,
    "last_error" TEXT,
    -- A sender holds the delivery until then; past it, a crashed sender's delivery is free again.
    "lease_until" TIMESTAMPTZ(3),
    -- When a queue job was sent for it (null: the dispatcher still has to).
    "queued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
-- Exactly one delivery per webhook and event, however often or wherever the fan-out runs.
CREATE UNIQUE INDEX "webhook_deliveries_webhook_id_event_id_key" ON "webhook_deliveries"("webhook_id", "event_id");
CREATE INDEX "webhook_deliveries_event_id_idx" ON "webhook_deliveries"("event_id");
CREATE INDEX "webhook_deliveries_unqueued_idx" ON "webhook_deliveries"("id") WHERE "queued_at" IS NULL;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "webhook_delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,
    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_delivery_attempts_delivery_id_idx" ON "webhook_delivery_attempts"("delivery_id");
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
