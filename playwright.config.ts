import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end suite: Chromium against the production build (`next build` first), served by
 * e2e/global-setup.ts on a fresh database with demo data. E2E_PORT picks the port (3100);
 * E2E_DATABASE_BASE_URL runs it on a new PostgreSQL database instead of embedded PGlite.
 */
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "e2e/artifacts/results",
  globalSetup: "./e2e/global-setup.ts",
  // Tests share one seeded database; they use unique tags so order does not matter, but one
  // worker keeps the 2-core CI machine responsive.
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { outputFolder: "e2e/artifacts/report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 860 } } }],
});
