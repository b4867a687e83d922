import http from "node:http";
import https from "node:https";
import type { IncomingMessage } from "node:http";

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
 * `X-Forwarded-For` only when this peer is one of TRUSTED_PROXIES. The stamp is installed by
 * patching `emit` of Node's HTTP(S) servers, from instrumentation.ts (`register()` runs in the
 * server process before Next.js handles its first request's routing; a request without the
 * stamp counts as the address "unknown", never as what it claims).
 */
export const PEER_ADDRESS_HEADER = "x-benchboard-peer-address";

export function stampPeerAddress(req: IncomingMessage): void {
  req.headers[PEER_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
}

const INSTALLED = Symbol.for("benchboard.peerAddressStamp");

export function installPeerAddressStamp(): void {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as {
      emit: (event: string, ...args: unknown[]) => boolean;
      [INSTALLED]?: true;
    };
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
      if (event === "request") stampPeerAddress(args[0] as IncomingMessage);
      return emit.call(this, event, ...args);
    };
    proto[INSTALLED] = true;
  }
}
