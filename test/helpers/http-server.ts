import http from "node:http";
import { Readable } from "node:stream";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { routeRequest, V1 } from "./api";
import { useFreshDatabase } from "./db";
import { signedInUser, type SignedInUser } from "./users";
import { stampPeerAddress } from "../../lib/http/peer-address";

/**
 * A real HTTP server on loopback in front of the app's route handlers, for tests whose
 * clients must speak HTTP (the agent CLI's client). Responses are streamed back. A given port
 * lets a test restart the server where its clients expect it.
 */
export async function startHttpServer(port = 0): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      stampPeerAddress(req); // as instrumentation.ts does under next start
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      const response = await routeRequest(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * A test file's app over real HTTP: a fresh database, the server, and a customer admin of
 * `customer` who creates the jobs (node:test hooks; read `server` and `admin` inside tests).
 */
export function useHttpApp(customer: string) {
  const app = {} as { server: Awaited<ReturnType<typeof startHttpServer>>; admin: SignedInUser };
  let teardown: () => Promise<void>;
  before(async () => {
    ({ teardown } = await useFreshDatabase());
    app.server = await startHttpServer();
    app.admin = await signedInUser("customer_admin", customer);
  });
  after(async () => {
    await app.server.close();
    await teardown();
  });
  /** A POST with a bearer token to the API over HTTP: its status and JSON answer. */
  const post = async (path: string, token: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.server.url}${V1}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { app, post };
}
