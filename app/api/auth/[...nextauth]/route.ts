import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";

// Built per request: the options read the signing secret lazily (env or data folder).
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(req, ctx);
}
export { handler as GET, handler as POST };
