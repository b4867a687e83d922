import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { assertMay } from "../auth/permissions";
import { clock } from "../util/clock";
import type { PutGpuPricesInput } from "./schemas";

/** The caller's customer's prices per GPU-hour, and the GPU models its fleet has (the form's choices). */
export async function listGpuPrices(db: Db, caller: Caller) {
  const [prices, models] = await Promise.all([
    db.gpuPrice.findMany({ where: { customerId: caller.customerId }, orderBy: { gpuModel: "asc" } }),
    db.machine.findMany({
      where: { customerId: caller.customerId, gpuModel: { not: null } },
      select: { gpuModel: true },
      distinct: ["gpuModel"],
      orderBy: { gpuModel: "asc" },
    }),
  ]);
  return {
    prices: prices.map((p) => ({
      gpu_model: p.gpuModel,
      price_per_gpu_hour: p.pricePerGpuHour,
      updated_at: p.updatedAt.toISOString(),
    })),
    fleet_gpu_models: models.map((m) => m.gpuModel!),
  };
}

/** Replaces the customer's price list (customer admins, root admins for their own customer). */
export async function putGpuPrices(db: Db, caller: Caller, input: PutGpuPricesInput) {
  assertMay(caller, "manage_fleet", "Permission denied: prices per GPU-hour are set by a customer admin");
  const now = clock.now();
  await db.$transaction([
    db.gpuPrice.deleteMany({ where: { customerId: caller.customerId } }),
    db.gpuPrice.createMany({
      data: input.prices.map((p) => ({
        customerId: caller.customerId,
        gpuModel: p.gpu_model,
        pricePerGpuHour: p.price_per_gpu_hour,
        updatedAt: now,
      })),
    }),
  ]);
  return listGpuPrices(db, caller);
}
