"use client";
import { useEffect, useState } from "react";

const VARS = ["--accent", "--muted", "--border", "--fg", "--danger", "--success", "--warning", "--info", "--card", "--fg-soft"] as const;
export type ThemeColors = Record<(typeof VARS)[number], string>;

function read(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  return Object.fromEntries(VARS.map((v) => [v, style.getPropertyValue(v).trim() || "#888"])) as ThemeColors;
}

/**
 * The shell's CSS colours as values: SVG attributes (recharts' fill/stroke) cannot resolve
 * var(--x). Re-read when the theme toggle flips data-theme on <html>.
 */
export function useThemeColors(): ThemeColors | null {
  const [colors, setColors] = useState<ThemeColors | null>(null);
  useEffect(() => {
    setColors(read());
    const obs = new MutationObserver(() => setColors(read()));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
    return () => obs.disconnect();
  }, []);
  return colors;
}
