import type { CounterStore, WindowCount } from "./store";

/** Fixed-window counters in this process: the store of a single instance. */
export class MemoryStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= 50_000) this.sweep(now);
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetAt: w.resetAt };
  }

  async peek(key: string, now: number): Promise<WindowCount | null> {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? { count: w.count, resetAt: w.resetAt } : null;
  }

  /** Drops ended windows so the map stays bounded by the clients of one window. */
  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
