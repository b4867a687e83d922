"use client";
import { useMemo } from "react";
import { useDocumentTheme } from "@/components/ui/browser-state";

const VARS = [
  "--accent",
  "--muted",
  "--border",
  "--fg",
  "--danger",
  "--success",
  "--warning",
  "--info",
  "--card",
  "--fg-soft",
] as const;
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
  const theme = useDocumentTheme();
  return useMemo(() => (theme ? read() : null), [theme]);
}

/** recharts' tooltip box in the theme's card colours. */
export function tooltipStyle(colors: ThemeColors) {
  return { background: colors["--card"], border: `1px solid ${colors["--border"]}`, color: colors["--fg"] };
}
