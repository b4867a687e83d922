import { withPublicApi } from "@/lib/api/with-api";
import { prometheusText } from "@/lib/ops/metrics";
import { assertMetricsScraper } from "@/lib/ops/metrics-auth";

// Prometheus scrape target (also served at /metrics through a rewrite in next.config).
export const GET = withPublicApi(async ({ req, db }) => {
  assertMetricsScraper(req.headers.get("authorization"));
  const { contentType, text } = await prometheusText(db);
  return new Response(text, { headers: { "content-type": contentType } });
});
