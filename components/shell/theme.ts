/** Where the chosen theme is kept; read by the pre-paint script in app/layout.tsx. */
export const THEME_STORAGE_KEY = "benchboard-theme";
export type Theme = "light" | "dark";
