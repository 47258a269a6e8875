// What a supervisor does on the Callbacks page, against the production build with real data: 600 callbacks of one
// service spread over the next week (3 cancelled), and a small second service for live updates.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import path from "node:path";
import { adminAuth, putUser, signInAs, hydrated } from "./helpers";

const BIG = "e2e-cb-north";
const SMALL = "e2e-cb-south";
const H = 3_600_000;
const SHOTS = path.join(__dirname, "screenshots");
const SERVICE = {
  _service: "callback",
  _type: "builtin",
  _enable_in_queue_checking: "false",
  _max_request_by_time_bucket: 10000,
  _throttle_callbacks_per_service_1: 100000,
  _throttle_callbacks_per_service_2: 100000,
  _default_country: "US",
};
const BIG_VIEW = `/callbacks?window=next7d&service=${BIG}`;
let cancelled: string[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  for (const s of [BIG, SMALL])
    expect((await request.put(`/genesys/1/admin/services/${s}`, { data: SERVICE, headers: adminAuth })).status()).toBe(200);
  // off the quarter hour, so that "Next 24 Hours" has a clear edge (88 of them) however long seeding takes
  const start = Date.now() + 2 * H + 7 * 60_000;
  const post = async (service: string, i: number, at: number, number: string) => {
    const r = await request.post(`/genesys/1/service/callback/${service}`, {
      data: { _customer_number: number, _desired_time: new Date(at).toISOString(), customer_name: `Customer ${i}` },
    });
    expect(r.status(), await r.text()).toBe(200);
    return (await r.json())._id as string;
  };
  // 600 over the next ~6 days, one every 15 minutes (88 of them within the next 24 hours)
  const ids: string[] = [];
  for (let i = 0; i < 600; i += 25)
    ids.push(
      ...(await Promise.all(
        Array.from({ length: 25 }, (_, j) => post(BIG, i + j, start + (i + j) * 15 * 60_000, `+1617555${1000 + i + j}`)),
      )),
    );
  cancelled = ids.slice(0, 3);
  for (const id of cancelled) expect((await request.delete(`/genesys/1/service/callback/${BIG}/${id}`)).status()).toBe(200);
  for (let i = 0; i < 12; i++) await post(SMALL, i, start + i * H, `+1212555${2000 + i}`);
  await putUser(request, "super-cb", "supervisor", "super-cb-pass-1");
});

// the services go, their callbacks stay: later specs count the configured services (the Monitor's cards)
test.afterAll(async ({ request }) => {
  for (const s of [BIG, SMALL]) expect((await request.delete(`/genesys/1/admin/services/${s}`, { headers: adminAuth })).status()).toBe(200);
});

async function signIn(page: Page) {
  await signInAs(page, "super-cb", "super-cb-pass-1");
}
const count = (page: Page) => page.locator(".statusbar .count");
const rows = (page: Page) => page.getByRole("table", { name: "Callbacks" }).locator("tbody tr.row");
/** The rows are interactive once the page is hydrated, which is when the relative-time hints appear. */
const ready = (page: Page) => expect(rows(page).first().locator(".hint")).toHaveText(/^(in|\d).+/);

test("a supervisor filters by window, state, service and number and sees the exact count", async ({ page }) => {
  await signIn(page);
  await page.getByLabel("Time window").selectOption({ label: "Next 7 Days" });
  await page.getByText("Services: all").click();
  await page.getByRole("checkbox", { name: BIG }).check();
  await expect(count(page)).toHaveText("600 callback(s) found");
  await expect(page).toHaveURL(new RegExp(`window=next7d.*service=${BIG}`));

  await page.getByRole("checkbox", { name: "COMPLETED", exact: true }).check();
  await expect(count(page)).toHaveText("3 callback(s) found");
  await expect(rows(page).first()).toContainText("CANCELLED");
  await page.getByRole("checkbox", { name: "SCHEDULED", exact: true }).check();
  await expect(count(page)).toHaveText("600 callback(s) found");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/service=/);

  await page.goto(BIG_VIEW);
  await hydrated(page);
  await page.getByLabel("Customer number").fill("617555100");
  await expect(count(page)).toHaveText("10 callback(s) found");
  await expect(page).toHaveURL(/number=617555100/);
  // the URL is the view: a reload shows the same, the back button the previous one
  await page.reload();
  await expect(count(page)).toHaveText("10 callback(s) found");

  await page.goto(BIG_VIEW);
  await hydrated(page);
  await page.getByLabel("Time window").selectOption({ label: "Next 24 Hours" });
  await expect(count(page)).toHaveText("88 callback(s) found");
  await page.getByLabel("Time window").selectOption({ label: "Last 24 Hours" });
  await expect(count(page)).toHaveText("No callbacks found.");
  await expect(page.getByText("No callbacks in the last 24 hours matching these filters.")).toBeVisible();
  await page.goBack();
  await expect(count(page)).toHaveText("88 callback(s) found");

  await page.getByLabel("Time window").selectOption({ label: "Custom range" });
  await expect(count(page)).toHaveText("88 callback(s) found");
  await page.getByLabel(/^From/).fill("2030-01-02T00:00");
  await page.getByLabel(/^To/).fill("2030-01-01T00:00");
  await page.getByRole("button", { name: "Apply range" }).click();
  await expect(page.getByText("The start of the range must be before its end.")).toBeVisible();
  await page.getByLabel(/^To/).fill("2030-03-01T00:00");
  await page.getByRole("button", { name: "Apply range" }).click();
  await expect(page.getByText("A custom range can span at most one month.")).toBeVisible();
});

test("a supervisor pages through 600 callbacks, 250 at a time, sorted by desired time", async ({ page }) => {
  await signIn(page);
  await page.goto(BIG_VIEW);
  await expect(rows(page)).toHaveCount(250);
  await ready(page);
  const pager = page.getByRole("navigation", { name: "Pages" });
  await expect(pager).toContainText("Page 1 of 3 · 1–250 of 600");
  const firstOfPage1 = await rows(page).first().getAttribute("aria-label");
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText("Page 2 of 3 · 251–500 of 600");
  await expect(rows(page)).toHaveCount(250);
  expect(await rows(page).first().getAttribute("aria-label")).not.toBe(firstOfPage1);
  await pager.getByRole("button", { name: "Last" }).click();
  await expect(pager).toContainText("Page 3 of 3 · 501–600 of 600");
  await expect(rows(page)).toHaveCount(100);
  await page.goBack();
  await expect(pager).toContainText("Page 2 of 3");

  const desired = page.getByRole("columnheader", { name: /Desired Callback Time/ });
  await expect(desired).toHaveAttribute("aria-sort", "ascending");
  await desired.getByRole("button").click();
  await expect(desired).toHaveAttribute("aria-sort", "descending");
  await expect(pager).toContainText("Page 1 of 3");
  await expect(rows(page).first()).toContainText("+1 617 555 1599");
});

test("a supervisor opens a callback's timeline in the drawer; Esc closes it and returns to the row", async ({ page }) => {
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${BIG}&state=COMPLETED`);
  await ready(page);
  const row = rows(page).first();
  await row.click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/open=/);
  await expect(drawer.getByRole("heading", { name: "Timeline" })).toBeVisible();
  const timeline = drawer.locator("ol.timeline li");
  await expect(timeline).toHaveCount(2);
  await expect(timeline.nth(0)).toContainText("Accepted");
  await expect(timeline.nth(1)).toContainText("Cancelled");
  await expect(timeline.nth(1)).toContainText("CANCELLED");
  await expect(drawer).toContainText("Desired time (display, America/New_York)");
  await expect(drawer).toContainText("Desired time (office, UTC)");
  await expect(drawer).toContainText("customer_name");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(row).toBeFocused();
  await expect(page).not.toHaveURL(/open=/);

  // the open drawer is part of the URL: a shared link opens it
  await page.goto(`/callbacks?window=next7d&service=${BIG}&open=${cancelled[0]}`);
  await expect(page.getByRole("dialog")).toContainText("Cancelled");
  await page.goto(`/callbacks?open=no-such-callback`);
  await expect(page.getByRole("dialog")).toContainText("This callback no longer exists.");
});

test("a supervisor switches the display zone and every time label follows", async ({ page }) => {
  await signIn(page);
  await page.goto(BIG_VIEW);
  const firstTime = rows(page).first().locator("time");
  // the browser's zone by default
  await expect(page.getByTestId("zone-label")).toHaveText(/^(EST|EDT) · UTC−0[45]:00$/);
  await expect(firstTime).toHaveText(/ E[SD]T$/);
  // the picker searches: part of a name and Enter takes the one zone it names
  await page.getByLabel("Display time zone").fill("kolkata");
  await page.getByLabel("Display time zone").press("Enter");
  await expect(page.getByTestId("zone-label")).toHaveText("UTC+05:30");
  await expect(firstTime).toHaveText(/ GMT\+5:30$/);
  await expect(page.getByLabel("Display time zone")).toHaveValue("Asia/Kolkata");
  await page.reload();
  await expect(firstTime).toHaveText(/ GMT\+5:30$/);
  // a shared link's zone wins over the remembered one
  await page.goto(`${BIG_VIEW}&tz=UTC`);
  await expect(firstTime).toHaveText(/ UTC$/);
  await expect(page.getByLabel("Display time zone")).toHaveValue("UTC");
});

test("a supervisor works with the keyboard alone: filter by state, open a row with Enter, Esc returns to it", async ({ page }) => {
  await signIn(page);
  await page.goto(BIG_VIEW);
  await expect(count(page)).toHaveText("600 callback(s) found");
  await ready(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.keyboard.press("Enter");
  const completed = page.getByRole("checkbox", { name: "COMPLETED", exact: true });
  for (let i = 0; i < 15 && !(await completed.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(completed).toBeFocused();
  await page.keyboard.press("Space");
  await expect(count(page)).toHaveText("3 callback(s) found");
  const row = rows(page).first();
  for (let i = 0; i < 40 && !(await row.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(row).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(row).toBeFocused();
  // `/` jumps to the number search
  await page.keyboard.press("/");
  await expect(page.getByLabel("Customer number")).toBeFocused();
});

test("live updates never reorder rows under the pointer: changes wait behind Show; a failed refresh marks the data stale", async ({
  page,
  request,
}) => {
  await signIn(page);
  await page.goto(`/callbacks?window=next24h&service=${SMALL}`);
  await expect(count(page)).toHaveText("12 callback(s) found");
  await ready(page);
  await rows(page).nth(3).hover();
  const r = await request.post(`/genesys/1/service/callback/${SMALL}`, {
    data: { _customer_number: "+12125559999", _desired_time: new Date(Date.now() + 30 * 60_000).toISOString() },
  });
  expect(r.status()).toBe(200);
  const banner = page.getByText(/1 new or changed callback —/);
  await expect(banner).toBeVisible({ timeout: 12_000 });
  await expect(rows(page)).toHaveCount(12);
  await banner.getByRole("button", { name: "Show" }).click();
  await expect(rows(page)).toHaveCount(13);
  await expect(count(page)).toHaveText("13 callback(s) found");

  await page.route("**/api/console/callbacks?**", (route) => route.fulfill({ status: 500, body: "{}" }));
  await expect(page.getByText(/refresh failed, retrying/)).toBeVisible({ timeout: 15_000 });
  await expect(rows(page)).toHaveCount(13);
  await page.unroute("**/api/console/callbacks?**");

  await page.getByRole("button", { name: "Pause live" }).click();
  await expect(page.getByRole("button", { name: "Pause live" })).toHaveAttribute("aria-pressed", "true");
});

test("an expired session on a live refresh goes to sign-in and comes back to the same view", async ({ page, context }) => {
  await signIn(page);
  await page.goto(`/callbacks?window=next24h&service=${SMALL}`);
  await expect(count(page)).not.toHaveText("Loading callbacks…");
  await context.clearCookies();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fcallbacks%3Fwindow%3Dnext24h%26service%3De2e-cb-south/, { timeout: 15_000 });
  await page.getByLabel("User name").fill("super-cb");
  await page.getByLabel("Password").fill("super-cb-pass-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/callbacks\\?window=next24h&service=${SMALL}$`));
});

test("the Callbacks page and its drawer pass axe-core (no serious or critical violations) and are photographed", async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto(`${BIG_VIEW}&keys=customer_name`);
  await expect(rows(page)).toHaveCount(250);
  await ready(page);
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(await serious()).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "callbacks.png") });

  await rows(page).nth(2).click();
  await expect(page.getByRole("dialog").locator("ol.timeline li").first()).toBeVisible();
  expect(await serious()).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "callback-drawer.png") });
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, "callbacks-phone.png") });
});
