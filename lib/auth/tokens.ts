import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { authSecret } from "./secret";
import { clock } from "../util/clock";

const key = () => new TextEncoder().encode(authSecret());
const ISSUER = "benchboard";

export const ACCESS_TOKEN_TTL_SECONDS = Number(process.env.ACCESS_TOKEN_TTL_SECONDS ?? 3600);

/** Bearer token for a user (OAuth2 password flow). */
export async function signAccessToken(userId: number): Promise<{ token: string; expiresIn: number }> {
  const now = Math.floor(clock.now().getTime() / 1000);
  const token = await new SignJWT({ typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(userId))
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_TTL_SECONDS)
    .sign(key());
  return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
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

/** Returns null for anything not signed by us, expired or malformed. */
export async function verifyToken(token: string): Promise<VerifiedToken | null> {
  try {
    const { payload } = await jwtVerify(token, key(), {
      issuer: ISSUER,
      algorithms: ["HS256"],
      currentDate: clock.now(),
    });
    if (payload.typ === "access" && payload.sub && /^\d+$/.test(payload.sub)) {
      return { typ: "access", userId: Number(payload.sub) };
    }
    if (payload.typ === "job" && payload.sub && /^\d+$/.test(payload.sub)) {
      return { typ: "job", jobId: BigInt(payload.sub) };
    }
    return null;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}
