-- Usage accounting (seed 001 check_server: a user's bandwidth), written by the statements
-- that store the uploads themselves: a result's payload size in its own row, and the log
-- bytes each node sent on its task.
ALTER TABLE "benchmark_results" ADD COLUMN "payload_bytes" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tasks" ADD COLUMN "bytes_uploaded" BIGINT NOT NULL DEFAULT 0;
