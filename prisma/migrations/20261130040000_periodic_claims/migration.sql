-- Periodic work shared by several app instances (README "Scale out"): each round of a
-- periodic task (the lifecycle sweep) is claimed by one instance with a conditional upsert
-- on its row, so N instances sweep once per interval between them, not N times.
CREATE TABLE "periodic_claims" (
    "name" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT NOT NULL,
    CONSTRAINT "periodic_claims_pkey" PRIMARY KEY ("name")
);
