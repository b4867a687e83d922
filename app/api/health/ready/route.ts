import { withProbe } from "@/lib/api/with-probe";
import { json } from "@/lib/api/respond";
import { readiness } from "@/lib/ops/health";

// Readiness (docs/api-contract.md): 503 naming the failing dependency until it is back.
export const GET = withProbe(async () => {
  const { ready, body } = await readiness();
  return json(body, { status: ready ? 200 : 503 });
});
