/**
 * Calls that arrive while earlier ones are still running are run together: at most
 * `maxInFlight` groups run at once, each of up to `maxGroup` calls, in arrival order. A call
 * with no group running starts at once, alone, so an idle caller waits for nothing; under load
 * the calls queue behind the groups in flight and leave together. Two calls with the same key
 * are never in the same group nor in two groups at once (a node's writes stay in its order).
 * When a group fails, each of its calls is run again alone, so one call's failure is only its
 * own.
 * Used by the agent's write path (lib/agent/ingest.ts): one statement and one wake-up of the
 * database for many uploads (docs/performance-budget.md, "Agent ingest").
 */
export function coalesce<I, O>(
  run: (items: I[]) => Promise<O[]>,
  options: { key: (item: I) => string; maxGroup: number; maxInFlight: number },
): (item: I) => Promise<O> {
  type Waiting = { item: I; key: string; resolve: (o: O) => void; reject: (e: unknown) => void };
  let waiting: Waiting[] = [];
  const busy = new Set<string>();
  let inFlight = 0;

  async function runGroup(group: Waiting[]): Promise<void> {
    try {
      const outs = await run(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(outs[i]));
    } catch (err) {
      if (group.length === 1) return group[0].reject(err);
      await Promise.all(
        group.map((w) =>
          run([w.item]).then(
            ([out]) => w.resolve(out),
            (e) => w.reject(e),
          ),
        ),
      );
    }
  }

  function pump() {
    while (inFlight < options.maxInFlight && waiting.length) {
      const group: Waiting[] = [];
      const rest: Waiting[] = [];
      // A key taken into this group is busy from here on: a second call of it waits.
      for (const w of waiting) {
        if (group.length < options.maxGroup && !busy.has(w.key)) {
          group.push(w);
          busy.add(w.key);
        } else rest.push(w);
      }
      if (!group.length) return;
      waiting = rest;
      inFlight++;
      runGroup(group).finally(() => {
        for (const w of group) busy.delete(w.key);
        inFlight--;
        pump();
      });
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, key: options.key(item), resolve, reject });
      pump();
    });
}
