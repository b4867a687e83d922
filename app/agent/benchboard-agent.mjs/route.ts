import { readAgentBundle } from "@/lib/agent/bundle";

export const dynamic = "force-dynamic";

// GET /agent/benchboard-agent.mjs – the one-file agent, without sign-in (nodes download it with curl)
export function GET(req: Request) {
  const bundle = readAgentBundle();
  if (!bundle)
    return new Response("The agent bundle is not built on this server: run `npm run build:agent`.\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  const etag = `"sha256-${bundle.sha256}"`;
  const headers = { etag, "x-content-sha256": bundle.sha256, "cache-control": "no-cache" };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(bundle.body), {
    headers: {
      ...headers,
      "content-type": "text/javascript; charset=utf-8",
      "content-length": String(bundle.body.length),
    },
  });
}
