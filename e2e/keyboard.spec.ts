import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signIn } from "./helpers";

/** The focused element: its accessible-ish name, and whether a focus indicator is drawn. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // Visible focus = the element looks different focused than not (ring, outline or border).
    const look = () => {
      const cs = getComputedStyle(el);
      return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow, cs.borderColor].join("|");
    };
    const withFocus = look();
    el.blur();
    const without = look();
    el.focus();
    return {
      name: (el.getAttribute("aria-label") || el.textContent || el.getAttribute("placeholder") || el.tagName)
        .trim()
        .replace(/\s+/g, " "),
      visible: withFocus !== without,
    };
  });
}

/** Presses Tab up to `max` times; every stop must show focus. Returns the names in order. */
async function tabThrough(page: Page, max: number, until?: RegExp): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (!f) continue;
    expect(f.visible, `visible focus on "${f.name}"`).toBe(true);
    seen.push(f.name);
    if (until?.test(f.name)) break;
  }
  return seen;
}

test("sign in by keyboard alone, with visible focus on every stop", async ({ page }) => {
  await page.goto("/signin");
  const stops = await tabThrough(page, 10, /^Sign in$/);
  expect(stops.slice(-1)).toEqual(["Sign in"]);
  await page.getByLabel("Email").focus();
  await page.keyboard.type(ACCOUNTS.acmeEngineer);
  await page.keyboard.press("Tab");
  await page.keyboard.type("benchboard-demo");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/jobs/);
});

test("the jobs page's controls are reachable by Tab, and tagging works from the keyboard", async ({ page }) => {
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.goto("/jobs");
  await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  await expect(page.locator("tbody tr[data-job-id]").first()).toBeVisible();
  await page.locator("body").focus();
  const stops = await tabThrough(page, 70, /^Add tag to /);
  for (const expected of [
    /^Jobs$/,
    /^New job$/,
    /^Fleet$/,
    /^Switch to dark theme$/,
    /^Sign out$/,
    /^Search jobs by name$/,
    /^Sort by /,
    /^Select all jobs on this page$/,
    /^Add tag to /,
  ]) {
    expect(
      stops.some((s) => expected.test(s)),
      `${expected} among ${JSON.stringify(stops)}`,
    ).toBe(true);
  }
  // Focus is on a row's "Add tag" button: Enter opens its input, Enter saves the tag.
  const tag = `kbd-${Date.now().toString(36)}`;
  await page.keyboard.press("Enter");
  await expect(page.getByLabel(/^New tag for /)).toBeFocused();
  await page.keyboard.type(tag);
  await page.keyboard.press("Enter");
  await expect(page.locator("tbody tr[data-job-id]").first()).toContainText(tag);
});

test("phone width: the menu opens from the keyboard and its links are reachable", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, ACCOUNTS.acmeEngineer);
  await page.locator("body").focus();
  const stops = await tabThrough(page, 5, /^Open menu$/);
  expect(stops.slice(-1)).toEqual(["Open menu"]);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
  const menu = await tabThrough(page, 10, /^Performance/);
  expect(menu.some((s) => /^New job$/.test(s))).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/performance$/);
});
