import { NextResponse, type NextRequest } from "next/server";
import { methodGuard } from "@/lib/api/method-guard";

// API requests with a method their route does not serve (and OPTIONS) are answered here in the
// API's error format; everything else goes on to the route handlers.
export function proxy(req: NextRequest) {
  return methodGuard(req) ?? NextResponse.next();
}

export const config = { matcher: "/api/:path*" };
