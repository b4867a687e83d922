/**
 * Polls `probe` until it gives something truthy and returns that, or fails the test after `ms`
 * naming what it waited for. `what` may be a function, to add what had been seen by then (an
 * agent's output, say) to the failure.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  ms = 20_000,
  what: string | (() => string) = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
