import { withProbe } from "@/lib/api/with-probe";
import { json } from "@/lib/api/respond";

// Liveness (docs/api-contract.md): the process is up and serving. Touches no dependency.
export const GET = withProbe(async () => json({ status: "ok" }));
