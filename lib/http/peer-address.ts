import type { IncomingMessage } from "node:http";
import { addRequestHook } from "./request-hooks";

/**
 * The TCP peer of a request, as a header only this process writes.
 *
 * A Next.js route handler gets a Fetch `Request`, never the socket. `next start` does fill
 * `X-Forwarded-For` from the socket — but only when the request has none
 * (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in next/dist/server/base-server.js),
 * so a client that sends its own `X-Forwarded-For` hides its address completely, and any rule
 * that believes that header can be walked around by rotating it.
 *
 * So before Next.js sees a request we copy `socket.remoteAddress` into PEER_ADDRESS_HEADER,
 * overwriting whatever a client sent under that name. lib/api/client-ip.ts then believes
 * `X-Forwarded-For` only when this peer is one of TRUSTED_PROXIES. The stamp is a request hook
 * (lib/http/request-hooks.ts), installed from instrumentation.ts before Next.js handles its
 * first request; a request without the stamp counts as the address "unknown", never as what it
 * claims.
 */
export const PEER_ADDRESS_HEADER = "x-benchboard-peer-address";

export function stampPeerAddress(req: IncomingMessage): void {
  req.headers[PEER_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
}

export function installPeerAddressStamp(): void {
  addRequestHook("peer-address", (req) => {
    stampPeerAddress(req);
    return false;
  });
}
