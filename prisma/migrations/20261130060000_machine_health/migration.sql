-- Machine health (docs/architecture.md, "Machine health"): confirm before accusing. A node
-- scored underperforming or regressed is re-run on its machine; a confirmed verdict makes the
-- machine suspect, an admin then quarantines or clears it, and the drain list prints the
-- quarantined hosts. Prices per GPU-hour turn a suspect node's shortfall into a cost.

-- healthy | suspect | quarantined | cleared, with when and why it last changed and the
-- evidence behind it (both runs' task ids, verdicts and key figures).
ALTER TABLE "machines" ADD COLUMN "health_state" TEXT NOT NULL DEFAULT 'healthy';
ALTER TABLE "machines" ADD COLUMN "health_changed_at" TIMESTAMPTZ(3);
ALTER TABLE "machines" ADD COLUMN "health_note" TEXT;
ALTER TABLE "machines" ADD COLUMN "health_evidence" JSONB;
CREATE INDEX "machines_customer_id_health_state_idx" ON "machines"("customer_id", "health_state");

-- Every change of a machine's health, and every confirmation that found nothing (transient):
-- who (null: the server), when, the note and the evidence. Kept as the machine's history.
CREATE TABLE "machine_health_events" (
    "id" SERIAL NOT NULL,
    "machine_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "from_state" TEXT NOT NULL,
    "to_state" TEXT NOT NULL,
    "user_id" INTEGER,
    "note" TEXT,
    "evidence" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "machine_health_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "machine_health_events_machine_id_created_at_idx" ON "machine_health_events"("machine_id", "created_at");
ALTER TABLE "machine_health_events" ADD CONSTRAINT "machine_health_events_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "machine_health_events" ADD CONSTRAINT "machine_health_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A customer's price per GPU-hour of a GPU model (optional): what a suspect node's lost
-- capacity costs per day.
CREATE TABLE "gpu_prices" (
    "customer_id" INTEGER NOT NULL,
    "gpu_model" TEXT NOT NULL,
    "price_per_gpu_hour" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "gpu_prices_pkey" PRIMARY KEY ("customer_id", "gpu_model")
);
ALTER TABLE "gpu_prices" ADD CONSTRAINT "gpu_prices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
