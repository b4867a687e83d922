-- Jobs, tasks and results share one id space, like SiliconMark's ids ("7554621440").
CREATE SEQUENCE "entity_id_seq" START WITH 7554621440;

CREATE TABLE "customers" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "customers_name_key" ON "customers"("name");

CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "customer_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE INDEX "users_customer_id_idx" ON "users"("customer_id");

CREATE TABLE "jobs" (
    "id" BIGINT NOT NULL DEFAULT nextval('entity_id_seq'::regclass),
    "customer_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "node_count" INTEGER NOT NULL,
    "current_nodes" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "benchmark_sequence" JSONB NOT NULL,
    "benchmark_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "state" TEXT NOT NULL DEFAULT 'created',
    "token" TEXT NOT NULL,
    "failed_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "performance_status" TEXT NOT NULL DEFAULT 'unknown',
    "performance" JSONB,
    "gpu_models" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "quickmark_aggregate" JSONB,
    "requirements" JSONB,
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "jobs_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "jobs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "jobs_customer_id_created_at_idx" ON "jobs"("customer_id", "created_at");
CREATE INDEX "jobs_user_id_created_at_idx" ON "jobs"("user_id", "created_at");
CREATE INDEX "jobs_customer_id_state_created_at_idx" ON "jobs"("customer_id", "state", "created_at");
CREATE INDEX "jobs_state_created_at_idx" ON "jobs"("state", "created_at");
CREATE INDEX "jobs_created_at_idx" ON "jobs"("created_at");
CREATE INDEX "jobs_tags_idx" ON "jobs" USING GIN ("tags");
CREATE INDEX "jobs_benchmark_ids_idx" ON "jobs" USING GIN ("benchmark_ids");
CREATE INDEX "jobs_customer_id_performance_status_idx" ON "jobs"("customer_id", "performance_status");
-- Live job names are unique per customer (seed 000: 409 RESOURCE_ALREADY_EXISTS); soft-deleted
-- jobs free their name. A partial index is beyond schema.prisma, so it lives only here.
CREATE UNIQUE INDEX "jobs_customer_live_name_key" ON "jobs"("customer_id", "name") WHERE "deleted_at" IS NULL;

CREATE TABLE "tasks" (
    "id" BIGINT NOT NULL DEFAULT nextval('entity_id_seq'::regclass),
    "job_id" BIGINT NOT NULL,
    "machine_uuid" TEXT NOT NULL,
    "machine_ip" TEXT,
    "gpu_model" TEXT,
    "gpu_count" INTEGER NOT NULL DEFAULT 0,
    "inventory" JSONB,
    "state" TEXT NOT NULL DEFAULT 'created',
    "failed_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "progress" JSONB,
    "performance" JSONB,
    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tasks_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "tasks_job_id_machine_uuid_key" ON "tasks"("job_id", "machine_uuid");
CREATE INDEX "tasks_machine_uuid_idx" ON "tasks"("machine_uuid");

CREATE TABLE "benchmark_results" (
    "id" BIGINT NOT NULL DEFAULT nextval('entity_id_seq'::regclass),
    "job_id" BIGINT NOT NULL,
    "task_id" BIGINT,
    "benchmark_id" TEXT NOT NULL,
    "benchmark_name" TEXT NOT NULL,
    "config" JSONB,
    "results" JSONB,
    "state" TEXT NOT NULL,
    "error_message" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "benchmark_results_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "benchmark_results_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "benchmark_results_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "benchmark_results_job_id_idempotency_key_key" ON "benchmark_results"("job_id", "idempotency_key");
CREATE INDEX "benchmark_results_job_id_task_id_idx" ON "benchmark_results"("job_id", "task_id");

CREATE TABLE "job_logs" (
    "id" BIGSERIAL NOT NULL,
    "job_id" BIGINT NOT NULL,
    "task_id" BIGINT,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "line" TEXT NOT NULL,
    CONSTRAINT "job_logs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "job_logs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "job_logs_job_id_id_idx" ON "job_logs"("job_id", "id");

CREATE TABLE "machines" (
    "id" SERIAL NOT NULL,
    "uuid" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "gpu_model" TEXT,
    "gpu_count" INTEGER NOT NULL DEFAULT 0,
    "inventory" JSONB,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_job_id" BIGINT,
    "last_performance_status" TEXT,
    CONSTRAINT "machines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "machines_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- Machine uuids come from agents, so they are only unique within a customer.
CREATE UNIQUE INDEX "machines_customer_id_uuid_key" ON "machines"("customer_id", "uuid");
CREATE INDEX "machines_customer_id_last_seen_at_idx" ON "machines"("customer_id", "last_seen_at");

-- Fleet reference per GPU model and metric (median and p10 of stored per-GPU results),
-- refreshed as results arrive so scoring never scans the results table per request.
CREATE TABLE "gpu_references" (
    "gpu_model" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "median" DOUBLE PRECISION NOT NULL,
    "p10" DOUBLE PRECISION NOT NULL,
    "samples" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "gpu_references_pkey" PRIMARY KEY ("gpu_model", "metric")
);
