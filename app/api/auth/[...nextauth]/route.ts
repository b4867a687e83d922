import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth";
import { readCheckedBody } from "@/lib/api/body";
import { withProbe } from "@/lib/api/with-probe";

// Built per request: the options read the signing secret lazily (env or data folder). The
// body is read first within the API's size limit (and checked when declared JSON), so an
// oversized or malformed body is a 413/400 in the API's error format, not a 500 inside next-auth.
const handler = withProbe(async (req, ctx: { params: Promise<{ nextauth: string[] }> }) => {
  const body = await readCheckedBody(req);
  const forwarded = new NextRequest(req.url, { method: req.method, headers: req.headers, body });
  return NextAuth(authOptions())(forwarded, ctx);
});
export { handler as GET, handler as POST };
