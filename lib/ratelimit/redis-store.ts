import type { Redis } from "../ops/redis";
import { redisTimeoutMs, withTimeout } from "../ops/redis";
import type { CounterStore, WindowCount } from "./store";

// INCR and PEXPIRE in one atomic step: every instance sharing Redis counts into the same
// window, and a key never outlives its window (the PTTL guard repairs a key left without one).
const HIT = `
local c = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if c == 1 or t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {c, t}`;

const PEEK = `
local c = redis.call('GET', KEYS[1])
if not c then return {0, -1} end
return {tonumber(c), redis.call('PTTL', KEYS[1])}`;

/** Fixed-window counters shared by every instance through Redis. */
export class RedisStore implements CounterStore {
  constructor(
    private readonly redis: () => Promise<Redis>,
    private readonly prefix: string,
  ) {}

  private async run(script: string, key: string, args: string[]): Promise<[number, number]> {
    const client = await this.redis();
    const reply = await withTimeout(
      client.eval(script, { keys: [this.prefix + key], arguments: args }),
      redisTimeoutMs(),
      "redis rate limit",
    );
    const [count, ttl] = reply as unknown as [number, number];
    return [Number(count), Number(ttl)];
  }

  async hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
    const [count, ttl] = await this.run(HIT, key, [String(windowMs)]);
    return { count, resetAt: now + ttl };
  }

  async peek(key: string, now: number): Promise<WindowCount | null> {
    const [count, ttl] = await this.run(PEEK, key, []);
    return count > 0 && ttl > 0 ? { count, resetAt: now + ttl } : null;
  }
}
