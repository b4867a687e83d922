-- Idempotency keys are scoped per task (node), not per job: two nodes using the same key
-- each store their own result. Cluster-level results (task_id NULL) carry no key.
DROP INDEX "benchmark_results_job_id_idempotency_key_key";
CREATE UNIQUE INDEX "benchmark_results_task_id_idempotency_key_key" ON "benchmark_results"("task_id", "idempotency_key");
