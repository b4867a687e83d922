import { withApi } from "@/lib/api/with-api";
import { benchmarkCatalog } from "@/lib/benchmarks/catalog";

export const GET = withApi(async () => ({ benchmarks: benchmarkCatalog() }));
