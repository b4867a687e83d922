import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client";
import { clientIp } from "../api/client-ip";
import { authenticateGuarded } from "./sign-in-guard";
import { authSecret } from "./secret";
import { sameOriginRedirect } from "./redirect";

/**
 * Browser sessions. Same users and passwords as the OAuth2 token endpoint; the session is a
 * JWT cookie holding the user id, re-checked against the database on every API call
 * (lib/auth/resolve-caller.ts), so deactivating a user ends their sessions at once.
 */
/**
 * The credentials check of the sign-in form, with the same brute-force brakes as POST /token:
 * after too many failures it throws RATE_LIMITED, whose message next-auth reports as the error.
 */
export async function authorizeCredentials(
  credentials: Record<"email" | "password", string> | undefined,
  req: { headers?: Record<string, string | string[] | undefined> },
) {
  if (!credentials?.email || !credentials.password) return null;
  const caller = await authenticateGuarded(
    await getDb(),
    credentials.email,
    credentials.password,
    clientIp(req?.headers ?? {}),
  );
  if (!caller) return null;
  return { id: String(caller.userId), email: caller.email, role: caller.role, customerId: caller.customerId };
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: authorizeCredentials,
      }),
    ],
    callbacks: {
      async redirect(params) {
        return sameOriginRedirect(params);
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as unknown as { role: string; customerId: number };
          token.role = u.role;
          token.customerId = u.customerId;
        }
        return token;
      },
      async session({ session, token }) {
        (session as unknown as { user: Record<string, unknown> }).user = {
          ...session.user,
          id: token.sub,
          role: token.role,
          customerId: token.customerId,
        };
        return session;
      },
    },
  };
}
