-- Batch uploads (POST /jobs/current/tasks/{task_id}/batch): the Idempotency-Key of each batch
-- a node sent, so that a retried batch stores its log lines once (its results carry their own
-- keys in benchmark_results). Rows go with their task.
CREATE TABLE "task_batches" (
    "task_id" BIGINT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "task_batches_pkey" PRIMARY KEY ("task_id", "idempotency_key")
);
ALTER TABLE "task_batches" ADD CONSTRAINT "task_batches_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
