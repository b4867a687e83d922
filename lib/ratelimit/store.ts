/** A counter of hits per key within a fixed window. */
export interface WindowCount {
  count: number;
  /** Epoch milliseconds when the window ends and the count starts again from zero. */
  resetAt: number;
}

export interface CounterStore {
  /** Counts one hit and returns the window's count including it. */
  hit(key: string, windowMs: number, now: number): Promise<WindowCount>;
  /** The current window's count without counting. */
  peek(key: string, now: number): Promise<WindowCount | null>;
}
