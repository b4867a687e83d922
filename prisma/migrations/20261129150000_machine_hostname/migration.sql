-- People know machines by hostname: keep the latest one the agent reported on the machine
-- itself (it was only inside the inventory JSON), so the fleet list can show and sort by it.
ALTER TABLE "machines" ADD COLUMN "hostname" TEXT;
UPDATE "machines" SET "hostname" = NULLIF("inventory"->>'hostname', '') WHERE "inventory" ? 'hostname';
