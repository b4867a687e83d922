import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { authSecret } from "./secret";
import { clock } from "../util/clock";
import { env } from "../config/env";
import { DecodedCredentials } from "./decoded-credentials";

const key = () => new TextEncoder().encode(authSecret());
const ISSUER = "benchboard";

/** Bearer token for a user (OAuth2 password flow). */
export async function signAccessToken(userId: number): Promise<{ token: string; expiresIn: number }> {
  const now = Math.floor(clock.now().getTime() / 1000);
  const token = await new SignJWT({ typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(userId))
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + env("ACCESS_TOKEN_TTL_SECONDS"))
    .sign(key());
  return { token, expiresIn: env("ACCESS_TOKEN_TTL_SECONDS") };
}

/** Job token handed to agents: confined to one job, valid until the job expires. */
export async function signJobToken(jobId: bigint, expiresAt: Date): Promise<string> {
  return new SignJWT({ typ: "job" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(jobId.toString())
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
}

export type VerifiedToken = { typ: "access"; userId: number } | { typ: "job"; jobId: bigint };

// Verified signatures, by token. Agents send the same job token with every upload, and
// WebCrypto HMAC verification (key import + verify) costs about a millisecond of CPU per
// request, more than the rest of an upload. Only the signature check is cached: expiry is
// checked on every use, and revocation (deleted job, replaced token) is checked against the
// database by the callers, as before. The secret is fixed for the life of the process
// (authSecret() caches it), so a cached signature stays valid.
const verified = new DecodedCredentials<VerifiedToken>(10_000);

/** Returns null for anything not signed by us, expired or malformed. */
export async function verifyToken(token: string): Promise<VerifiedToken | null> {
  const hit = verified.get(token, clock.now().getTime());
  if (hit !== undefined) return hit;
  try {
    const { payload } = await jwtVerify(token, key(), {
      issuer: ISSUER,
      algorithms: ["HS256"],
      currentDate: clock.now(),
    });
    let result: VerifiedToken | null = null;
    if (payload.typ === "access" && payload.sub && /^\d+$/.test(payload.sub)) {
      result = { typ: "access", userId: Number(payload.sub) };
    } else if (payload.typ === "job" && payload.sub && /^\d+$/.test(payload.sub)) {
      result = { typ: "job", jobId: BigInt(payload.sub) };
    }
    if (result && payload.exp) verified.set(token, result, payload.exp * 1000);
    return result;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}
