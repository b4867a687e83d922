import { createClient } from "redis";
import { logger } from "./logger";
import { processSingleton } from "./global";
import { env } from "../config/env";

function newClient() {
  return createClient({
    url: env("REDIS_URL"),
    disableOfflineQueue: true,
    socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) },
  });
}
export type Redis = ReturnType<typeof newClient>;

/** How long a Redis command may take before the caller treats Redis as down. */
export const redisTimeoutMs = () => env("REDIS_TIMEOUT_MS");

interface RedisState {
  client: Redis | null;
  connecting: Promise<Redis> | null;
}

/**
 * The process's Redis connection when REDIS_URL is set, else null. Commands fail at once
 * while disconnected (no offline queue) so a Redis outage never stalls requests; the client
 * keeps reconnecting in the background.
 */
export function redisConfigured(): boolean {
  return Boolean(env("REDIS_URL"));
}

export async function getRedis(): Promise<Redis> {
  const state = processSingleton<RedisState>("redis", () => ({ client: null, connecting: null }));
  if (state.client?.isReady) return state.client;
  if (state.client) throw new Error("Redis is not connected"); // reconnecting in the background
  const client = newClient();
  client.on("error", (err: Error) => logger().debug({ err: err.message }, "redis connection error"));
  state.client = client;
  state.connecting = client.connect().then(() => client);
  state.connecting.catch(() => undefined);
  // Only the first caller waits for the connection; later ones fail fast until it is up.
  await withTimeout(state.connecting, 1000, "redis connect");
  return client;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Closes the connection (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const state = processSingleton<RedisState>("redis", () => ({ client: null, connecting: null }));
  const client = state.client;
  state.client = null;
  state.connecting = null;
  if (client?.isReady) await client.close().catch(() => client.destroy());
  else if (client?.isOpen) client.destroy(); // still (re)connecting: nothing to flush
}
