// GET /gpu-prices – the customer's prices per GPU-hour; PUT – replace them (customer admins)
import { withApi } from "@/lib/api/with-api";
import { parseJson } from "@/lib/api/parse";
import { putGpuPricesSchema } from "@/lib/health/schemas";
import { listGpuPrices, putGpuPrices } from "@/lib/health/prices";

export const GET = withApi(async ({ db, caller }) => listGpuPrices(db, caller));

export const PUT = withApi(async ({ req, db, caller }) =>
  putGpuPrices(db, caller, await parseJson(putGpuPricesSchema, req)),
);
