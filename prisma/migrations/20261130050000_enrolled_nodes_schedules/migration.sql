-- Enrolled nodes (agent service mode) and schedules (docs/architecture.md, "Enrolled machines
-- and schedules").

-- An enrollment token lets a service agent register a machine with its customer. Only a
-- SHA-256 of the secret is kept; the secret is shown once, when the token is created.
CREATE TABLE "enrollment_tokens" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "created_by" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    -- The first characters of the secret, so an admin can tell tokens apart.
    "token_prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "enrollment_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "enrollment_tokens_token_hash_key" ON "enrollment_tokens"("token_hash");
CREATE INDEX "enrollment_tokens_customer_id_created_at_idx" ON "enrollment_tokens"("customer_id", "created_at");
ALTER TABLE "enrollment_tokens" ADD CONSTRAINT "enrollment_tokens_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "enrollment_tokens" ADD CONSTRAINT "enrollment_tokens_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An enrolled machine's own credential (SHA-256 of it): it outlives the enrollment token, and
-- removing the machine's enrollment clears it.
ALTER TABLE "machines" ADD COLUMN "credential_hash" TEXT;
CREATE UNIQUE INDEX "machines_credential_hash_key" ON "machines"("credential_hash");
ALTER TABLE "machines" ADD COLUMN "enrollment_token_id" INTEGER;
ALTER TABLE "machines" ADD CONSTRAINT "machines_enrollment_token_id_fkey" FOREIGN KEY ("enrollment_token_id") REFERENCES "enrollment_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- What the service agent last said it was doing (idle | busy) and when it last called in;
-- silent for longer than AGENT_OFFLINE_AFTER_SECONDS it is offline.
ALTER TABLE "machines" ADD COLUMN "agent_state" TEXT;
ALTER TABLE "machines" ADD COLUMN "agent_seen_at" TIMESTAMPTZ(3);
ALTER TABLE "machines" ADD COLUMN "agent_version" TEXT;
-- Admin-set labels; a schedule's target.tags matches them.
ALTER TABLE "machines" ADD COLUMN "labels" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- A schedule: at each cron tick a job for the matching enrolled machines.
CREATE TABLE "schedules" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    -- Owner of the jobs it creates.
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    -- [{benchmark_id, config}] as POST /jobs takes them
    "benchmarks" JSONB NOT NULL,
    "target_gpu_model" TEXT,
    "target_machine_ids" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "target_tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "only_idle" BOOLEAN NOT NULL DEFAULT true,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    -- Ticks at or before this moment are never run (creation, resume, cron change).
    "active_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "schedules_customer_id_name_key" ON "schedules"("customer_id", "name");
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One row per tick that ran: the unique (schedule_id, tick_at) is the claim, so a tick is run
-- by exactly one app server however many evaluate it.
CREATE TABLE "schedule_runs" (
    "id" SERIAL NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "tick_at" TIMESTAMPTZ(3) NOT NULL,
    -- null: nothing matched (skipped_reason says why)
    "job_id" BIGINT,
    "machine_count" INTEGER NOT NULL DEFAULT 0,
    "skipped_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedule_runs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "schedule_runs_schedule_id_tick_at_key" ON "schedule_runs"("schedule_id", "tick_at");
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "schedule_runs" ADD CONSTRAINT "schedule_runs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
