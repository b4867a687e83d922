import { randomUUID } from "node:crypto";
import { getDb, type Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { resolveCaller } from "../auth/resolve-caller";
import { json, toErrorResponse } from "./respond";

export interface ApiContext<P> {
  req: Request;
  url: URL;
  db: Db;
  params: P;
  requestId: string;
}

type RouteContext<P> = { params: Promise<P> };

function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Every API route handler is wrapped here, once: request id, database, error mapping.
 * Handlers return a Response or a value to send as JSON 200.
 */
export function withPublicApi<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<unknown>) {
  return async (req: Request, route?: RouteContext<P>): Promise<Response> => {
    const requestId = requestIdOf(req);
    let res: Response;
    try {
      const db = await getDb();
      const params = ((await route?.params) ?? {}) as P;
      const out = await handler({ req, url: new URL(req.url), db, params, requestId });
      res = out instanceof Response ? out : json(out);
    } catch (err) {
      res = toErrorResponse(err, requestId);
    }
    res.headers.set("x-request-id", requestId);
    return res;
  };
}

/** As withPublicApi, for user endpoints: resolves the caller (bearer token or session) or 401. */
export function withApi<P = Record<string, never>>(handler: (ctx: ApiContext<P> & { caller: Caller }) => Promise<unknown>) {
  return withPublicApi<P>(async (ctx) => handler({ ...ctx, caller: await resolveCaller(ctx.db, ctx.req) }));
}
