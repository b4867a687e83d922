import { withApi } from "@/lib/api/with-api";
import { rejectQuery } from "@/lib/api/parse";
import { benchmarkCatalog } from "@/lib/benchmarks/catalog";

// GET /benchmarks – the benchmark catalog
export const GET = withApi(async ({ url }) => {
  rejectQuery(url);
  return { benchmarks: benchmarkCatalog() };
});
