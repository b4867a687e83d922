// Lint rules: Next.js (core web vitals, React, hooks, jsx-a11y) plus typescript-eslint's
// recommended set, through eslint-config-next. Formatting is Prettier's job (.prettierrc.json).
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      // `_name` marks a binding kept on purpose (e.g. a field dropped by destructuring).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Schemas take zod from lib/validation/zod.ts, which sets it up for the browser's CSP first.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/validation/zod.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "zod", message: "Import { z } from lib/validation/zod.ts (it configures zod first)." }] },
      ],
    },
  },
  {
    // Tests, e2e specs and benchmarks read arbitrary JSON answers of the API under test, and
    // their helpers named use…() (useFreshDatabase, a Playwright fixture) are not React hooks.
    files: ["test/**", "e2e/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "react-hooks/rules-of-hooks": "off",
    },
  },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/generated/**",
    "e2e/artifacts/**",
    "next-env.d.ts",
    ".data/**",
    "bench/results/**",
    "dist/**",
  ]),
]);
