import { finish, requestIdOf } from "./with-api";
import { toErrorResponse } from "./respond";
import { clientIp } from "./client-ip";

/**
 * Health probes: request id, log line and metrics like every API route, but no database
 * connection up front (liveness must answer while the database is down) and no rate limit
 * (orchestrators probe on their own schedule). next-auth's endpoints use it too: they keep
 * their own sign-in brakes, and the dashboard polls the session.
 */
export function withProbe<C = unknown>(handler: (req: Request, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    let res: Response;
    try {
      res = await handler(req, ctx);
    } catch (err) {
      res = toErrorResponse(err, requestId);
    }
    return finish(req, res, {
      requestId,
      route: new URL(req.url).pathname,
      started,
      caller: { ip: clientIp(req.headers) },
    });
  };
}
