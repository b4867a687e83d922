/**
 * Where a log follower stands. Log lines are numbered by a sequence, but uploads from
 * different nodes commit in any order: line 11 can be visible before line 10 commits. A
 * follower that only asked for "id > the last id I sent" would lose line 10 for good. So it
 * looks back over the ids it read within the last `settleMs` (an upload is one short
 * statement, committed well within it) and skips the lines it has already sent.
 */
export class LogCursor {
  /** Every line at or below this id has been sent, or was there before the follower began. */
  private settled: bigint;
  /** Lines sent above `settled`, so a look-back sends each once. */
  private readonly sent = new Set<bigint>();
  /** (when, highest id read by then), oldest first: what `settled` may advance to. */
  private readonly marks: { at: number; id: bigint }[] = [];

  /**
   * `before`: the highest id when the follower began; `tail`: the ids of the lines it sent
   * first (the tail), which bound the look-back from below while the first window settles.
   */
  constructor(
    before: bigint,
    tail: bigint[],
    private readonly settleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const firstTail = tail.length ? tail.reduce((a, b) => (b < a ? b : a)) : null;
    this.settled = firstTail !== null && firstTail - 1n < before ? firstTail - 1n : before;
    for (const id of tail) this.sent.add(id);
    this.marks.push({ at: now(), id: before });
  }

  /** The id to read above, for this poll. */
  from(): bigint {
    const horizon = this.now() - this.settleMs;
    while (this.marks.length && this.marks[0].at <= horizon) {
      const { id } = this.marks.shift()!;
      if (id > this.settled) this.settled = id;
    }
    for (const id of this.sent) if (id <= this.settled) this.sent.delete(id);
    return this.settled;
  }

  /** Whether a line read in this poll is new to the follower (and records it as sent). */
  take(id: bigint): boolean {
    if (id <= this.settled || this.sent.has(id)) return false;
    this.sent.add(id);
    return true;
  }

  /** Ends a poll that read up to `highest`. */
  polled(highest: bigint) {
    const last = this.marks.at(-1)?.id ?? this.settled;
    this.marks.push({ at: this.now(), id: highest > last ? highest : last });
  }
}
