-- Fleet insight (README "Performance verdicts"): a robust spread next to the fleet median,
-- indexed windows for the fleet band and a machine's own history, and machine annotations.

-- Median absolute deviation of the GPU model's windowed fleet band: the run-to-run noise
-- that compare and the verdict explanations report.
ALTER TABLE "gpu_references" ADD COLUMN "mad" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- The own-history test reads a machine's last K scored nodes of one GPU model; the fleet
-- band the last N scored nodes of a GPU model. Both are LIMIT-ed walks of these indexes,
-- never a scan of the model's whole history.
CREATE INDEX "tasks_machine_history_idx" ON "tasks"("machine_uuid", "gpu_model", "created_at" DESC) WHERE "performance" IS NOT NULL;
CREATE INDEX "tasks_gpu_model_window_idx" ON "tasks"("gpu_model", "created_at" DESC) WHERE "performance" IS NOT NULL;

-- Notes on a machine's history ("replaced GPU 3"); one with resets_baseline starts the
-- own-history test afresh from its created_at.
CREATE TABLE "machine_annotations" (
    "id" SERIAL NOT NULL,
    "machine_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "resets_baseline" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "machine_annotations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "machine_annotations_machine_id_created_at_idx" ON "machine_annotations"("machine_id", "created_at");
ALTER TABLE "machine_annotations" ADD CONSTRAINT "machine_annotations_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "machine_annotations" ADD CONSTRAINT "machine_annotations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
