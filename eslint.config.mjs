// Lint rules: Next.js (core web vitals, React, hooks) plus typescript-eslint's recommended
// set, through eslint-config-next. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([".next/**", "node_modules/**", "lib/generated/**", "e2e/artifacts/**", "next-env.d.ts", ".data/**", "bench/results/**", "dist/**"]),
]);
