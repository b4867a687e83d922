import { getToken } from "next-auth/jwt";
import type { Db } from "../db/client";
import { UnauthorizedError } from "../api/errors";
import type { Caller } from "./caller";
import { verifyToken } from "./tokens";
import { activeCaller } from "./caller-cache";
import { authSecret } from "./secret";
import { assertSameOriginWrite } from "../api/csrf";

export function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m ? m[1] : null;
}

function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(";") ?? []) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(raw);
    } catch {
      out[part.slice(0, i).trim()] = raw; // malformed escapes: the token check will refuse it
    }
  }
  return out;
}

/**
 * A user endpoint's caller: a bearer access token (API clients) or the next-auth session
 * cookie (the dashboard). Job tokens are refused here: they only open agent endpoints.
 */
export async function resolveCaller(db: Db, req: Request): Promise<Caller> {
  const bearer = bearerToken(req);
  let userId: number | null = null;
  if (bearer) {
    const verified = await verifyToken(bearer);
    if (verified?.typ === "access") userId = verified.userId;
  } else {
    const session = await getToken({
      req: { cookies: parseCookies(req.headers.get("cookie")), headers: {} } as never,
      secret: authSecret(),
      secureCookie: new URL(req.url).protocol === "https:",
    });
    if (session?.sub && /^\d+$/.test(session.sub)) {
      assertSameOriginWrite(req); // a browser sends the cookie whichever site made it send the request
      userId = Number(session.sub);
    }
  }
  if (userId === null) throw new UnauthorizedError();
  const caller = await activeCaller(db, userId);
  if (!caller) throw new UnauthorizedError();
  return caller;
}
