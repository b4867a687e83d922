"use client";
import { useSyncExternalStore } from "react";

/**
 * Browser-only values as external stores. The server render (and the hydration pass) sees
 * null, so markup matches; the browser value follows right after, without an effect that sets
 * state (which would render everything twice).
 */

const TICK_MS = 30_000;
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const clockListeners = new Set<() => void>();

function subscribeClock(onChange: () => void) {
  clockListeners.add(onChange);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      clockListeners.forEach((l) => l());
    }, TICK_MS);
  }
  return () => {
    clockListeners.delete(onChange);
    if (!clockListeners.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in ms, refreshed every 30 s; null while server-rendering or hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribeClock,
    () => now || (now = Date.now()),
    () => null,
  );
}

export type DocumentTheme = "light" | "dark";

function subscribeTheme(onChange: () => void) {
  const obs = new MutationObserver(onChange);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => obs.disconnect();
}

/** The theme on <html data-theme>; null while server-rendering or hydrating. */
export function useDocumentTheme(): DocumentTheme | null {
  return useSyncExternalStore(
    subscribeTheme,
    () => (document.documentElement.dataset.theme === "dark" ? "dark" : "light"),
    () => null,
  );
}

const noSubscription = () => () => {};

/**
 * The dashboard's own origin as the browser reaches it (what agents on the same network use);
 * the server render shows a placeholder origin until hydration.
 */
export function useOrigin(fallback = "http://localhost:3000"): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => fallback,
  );
}
