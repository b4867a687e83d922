/**
 * Reads a server-sent event stream (`text/event-stream`) as EventSource would: each block's
 * `event:` name (default `message`) and its `data:` lines joined; a block without data (the
 * log follow's opening comment, a keep-alive) dispatches nothing. `at` is when the event was
 * read (performance.now()). `events` fills as the stream is read; `done` settles when it ends
 * or is aborted, and never rejects: the caller reports what it saw.
 */
export interface SseEvent {
  event: string;
  data: string;
  at: number;
}

export function collectEvents(res: Response): { events: SseEvent[]; done: Promise<void> } {
  const events: SseEvent[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        let event = "message";
        const data: string[] = [];
        for (const l of block.split("\n")) {
          if (l.startsWith("event: ")) event = l.slice(7);
          else if (l.startsWith("data: ")) data.push(l.slice(6));
        }
        if (data.length) events.push({ event, data: data.join("\n"), at: performance.now() });
      }
    }
  })().catch(() => {});
  return { events, done };
}
