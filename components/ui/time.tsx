"use client";
import { useNow } from "./browser-state";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];
// Made on first use, not when the module loads: building it costs 20 ms of a slow machine's
// main thread, and relative times are first shown after the page has hydrated.
let rtf: Intl.RelativeTimeFormat | undefined;

export function relativeTime(iso: string, now = Date.now()): string {
  const diff = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, secs] of UNITS) {
    if (Math.abs(diff) >= secs || unit === "second")
      return (rtf ??= new Intl.RelativeTimeFormat("en", { numeric: "auto" })).format(Math.round(diff / secs), unit);
  }
  return iso;
}

/** "3 hours ago", exact UTC time on hover. Renders the exact time on the server, relative once mounted. */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const now = useNow();
  if (!iso) return <span className="muted">—</span>;
  const exact = new Date(iso)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
  return (
    <time dateTime={iso} title={exact} style={{ whiteSpace: "nowrap" }}>
      {now === null ? exact.slice(0, 16) : relativeTime(iso, now)}
    </time>
  );
}
