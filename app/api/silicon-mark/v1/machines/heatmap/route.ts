// GET /machines/heatmap – per GPU model, visible machines × key metrics as ratios to the fleet median
import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { heatmapQuerySchema } from "@/lib/fleet/schemas";
import { fleetHeatmap } from "@/lib/fleet/heatmap";

export const GET = withApi(async ({ url, db, caller }) =>
  fleetHeatmap(db, caller, parseQuery(heatmapQuerySchema, url)),
);
