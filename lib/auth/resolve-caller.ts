import { createHash } from "node:crypto";
import { getToken } from "next-auth/jwt";
import { clock } from "../util/clock";
import type { Db } from "../db/client";
import { UnauthorizedError } from "../api/errors";
import type { Caller } from "./caller";
import { verifyToken } from "./tokens";
import { activeCaller } from "./caller-cache";
import { authSecret } from "./secret";
import { assertSameOriginWrite } from "../api/csrf";
import { DecodedCredentials } from "./decoded-credentials";

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

// Decoded session cookies, by a hash of the request's Cookie header and scheme. The dashboard
// sends the same cookie with each of its API reads, and next-auth derives the key and decrypts
// the session every time (about 0.2 ms of CPU). Only the decoding is kept: the session's
// expiry is checked on every use, and the account it names by activeCaller, as before.
const sessions = new DecodedCredentials<number>(10_000);

async function sessionUserId(req: Request): Promise<number | null> {
  const header = req.headers.get("cookie");
  if (!header) return null;
  const secureCookie = new URL(req.url).protocol === "https:";
  const key = createHash("sha256")
    .update(`${secureCookie ? "s" : "p"}|${header}`)
    .digest("base64url");
  const hit = sessions.get(key, clock.now().getTime());
  if (hit !== undefined) return hit;
  const session = await getToken({
    req: { cookies: parseCookies(header), headers: {} } as never,
    secret: authSecret(),
    secureCookie,
  });
  if (!session?.sub || !/^\d+$/.test(session.sub)) return null;
  const userId = Number(session.sub);
  if (typeof session.exp === "number") sessions.set(key, userId, session.exp * 1000);
  return userId;
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
    userId = await sessionUserId(req);
    // A browser sends the cookie whichever site made it send the request.
    if (userId !== null) assertSameOriginWrite(req);
  }
  if (userId === null) throw new UnauthorizedError();
  const caller = await activeCaller(db, userId);
  if (!caller) throw new UnauthorizedError();
  return caller;
}
