import { BlockList, isIP } from "node:net";
import { logger } from "../ops/logger";
import { PEER_ADDRESS_HEADER } from "../http/peer-address";
import { env } from "../config/env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`; trims; "" if absent. */
function normalise(address: string | undefined): string {
  const a = (address ?? "").trim().replace(/^\[|\]$/g, "");
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  return mapped ? mapped[1] : a;
}

let cached: { raw: string; list: BlockList; empty: boolean; verdicts: Map<string, boolean> } | null = null;

/** TRUSTED_PROXIES: a comma list of addresses and CIDR blocks (IPv4, IPv6); default none. */
export function trustedProxies(): BlockList {
  const raw = env("TRUSTED_PROXIES");
  if (cached?.raw === raw) return cached.list;
  const list = new BlockList();
  for (const entry of raw
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split("/");
    const type = isIP(normalise(address));
    const prefix = bits === undefined ? (type === 6 ? 128 : 32) : Number(bits);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 6 ? 128 : 32)) {
      logger().warn({ entry }, "TRUSTED_PROXIES: ignoring an entry that is not an address or CIDR block");
      continue;
    }
    list.addSubnet(normalise(address), prefix, type === 6 ? "ipv6" : "ipv4");
  }
  cached = { raw, list, empty: list.rules.length === 0, verdicts: new Map() };
  return list;
}

// BlockList.check builds a native address object per call (about 0.05 ms a request); a server
// sees the same few peers again and again, so each address's verdict is kept, up to a bound.
const MAX_VERDICTS = 10_000;

function isTrusted(address: string): boolean {
  const list = trustedProxies();
  const { empty, verdicts } = cached!;
  if (empty) return false;
  let trusted = verdicts.get(address);
  if (trusted === undefined) {
    const type = isIP(address);
    trusted = type !== 0 && list.check(address, type === 6 ? "ipv6" : "ipv4");
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(address, trusted);
  }
  return trusted;
}

/**
 * The address a request came from, for per-address rate limits, sign-in brakes and logs.
 * It starts from the TCP peer (lib/http/peer-address.ts). Only when that peer is a trusted
 * proxy is `X-Forwarded-For` read, from the right (each proxy appends the address it saw),
 * skipping trusted hops: the first untrusted entry is the client. Anything left of it was
 * written by the client and is ignored, so rotating it changes nothing. Without a peer
 * stamp (a request that never passed through our HTTP server) the address is "unknown".
 */
export function clientIp(headers: HeaderSource): string {
  const peer = normalise(header(headers, PEER_ADDRESS_HEADER));
  if (!peer) return "unknown";
  if (!isTrusted(peer)) return peer;
  const hops = (header(headers, "x-forwarded-for") ?? "").split(",").map(normalise).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(hops[i])) return hops[i].slice(0, 64);
  return hops[0] ?? peer;
}
