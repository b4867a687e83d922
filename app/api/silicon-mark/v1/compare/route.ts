// GET /compare – 2–4 visible jobs or nodes side by side: metrics, deltas, noise, config diff
import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { compareQuerySchema } from "@/lib/compare/schemas";
import { compare } from "@/lib/compare/queries";

export const GET = withApi(async ({ url, db, caller }) => compare(db, caller, parseQuery(compareQuerySchema, url)));
