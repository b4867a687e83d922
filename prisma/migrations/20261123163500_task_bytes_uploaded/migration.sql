-- Bytes of result and log payloads each node uploaded (seed 001 check_server: a user's
-- bandwidth). Incremented in the same statement that stores the upload.
ALTER TABLE "tasks" ADD COLUMN "bytes_uploaded" BIGINT NOT NULL DEFAULT 0;
