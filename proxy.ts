import { NextResponse, type NextRequest } from "next/server";
import { methodGuard } from "@/lib/api/method-guard";
import { API_CONTENT_SECURITY_POLICY, newNonce, pageContentSecurityPolicy } from "./lib/http/security-headers";

// Next.js Proxy (formerly middleware), in front of every request:
// - API requests with a method their route does not serve (and OPTIONS) are answered here in
//   the API's error format (lib/api/method-guard.ts); the rest go on to the route handlers.
// - The Content-Security-Policy of every page and API response (lib/http/security-headers.ts).
//   For pages the nonce travels on the request too: Next.js reads it from the request's
//   Content-Security-Policy header and stamps its inline scripts with it; the root layout
//   reads x-nonce for its theme script.
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const res = methodGuard(request) ?? NextResponse.next();
    res.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
    return res;
  }
  const nonce = newNonce();
  const csp = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = {
  // Static files and images carry no scripts; they get the other headers from next.config.mjs.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
