import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";

type PriceReader = Pick<Prisma.TransactionClient, "gpuPrice"> | Db;

/**
 * Capacity a node loses per day, in the customer's price unit (docs/api-contract.md, "Machine
 * health"): (1 − ratio of its limiting key metric) × GPUs × price per GPU-hour × 24. A node at
 * or above its reference loses nothing; without a price or a ratio there is no figure.
 */
export function capacityLostPerDay(
  limitingRatio: number | null,
  gpuCount: number,
  pricePerGpuHour: number | null,
): number | null {
  if (pricePerGpuHour === null || limitingRatio === null) return null;
  return Math.round(Math.max(0, 1 - limitingRatio) * gpuCount * pricePerGpuHour * 24 * 100) / 100;
}

/** The customer's price per GPU-hour for each of the given GPU models that has one. */
export async function pricesFor(
  db: PriceReader,
  customerId: number,
  gpuModels: (string | null)[],
): Promise<Map<string, number>> {
  const models = [...new Set(gpuModels.filter((g): g is string => !!g))];
  if (!models.length) return new Map();
  const rows = await db.gpuPrice.findMany({ where: { customerId, gpuModel: { in: models } } });
  return new Map(rows.map((r) => [r.gpuModel, r.pricePerGpuHour]));
}

/** The cost fields of a machine: its price and what its shortfall costs a day (both null without a price). */
export function machineCost(
  machine: { gpuModel: string | null; gpuCount: number },
  limitingRatio: number | null,
  prices: Map<string, number>,
) {
  const price = machine.gpuModel ? (prices.get(machine.gpuModel) ?? null) : null;
  return {
    price_per_gpu_hour: price,
    capacity_lost_per_day: capacityLostPerDay(limitingRatio, machine.gpuCount, price),
  };
}
