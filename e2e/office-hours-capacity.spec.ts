import fs from "node:fs";
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { adminAuth, putUser, signInAs, hydrated } from "./helpers";

test.describe.configure({ mode: "serial" });

const SERVICES = "/genesys/1/admin/services";
const OH = "e2e-oh-hours";
const OH_NY = "e2e-oh-newyork";
const CAP = "e2e-oh-capacity";
const CB = "e2e-oh-callback";
const ADMIN = { user: "oh-admin", password: "oh-admin-pass-123" };
const MONITOR = { user: "oh-monitor", password: "oh-monitor-pass-123" };

const DAY = 86_400_000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
// a Saturday 8-14 days ahead and the Wednesday after it (UTC dates): never today, whatever the time of day
const SAT = (() => {
  let t = Date.now() + 8 * DAY;
  while (new Date(t).getUTCDay() !== 6) t += DAY;
  return ymd(t);
})();
const WED = ymd(Date.parse(`${SAT}T00:00:00Z`) + 4 * DAY);

const CAPACITY_DAYS = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`_capacity_${d}`, `{"${d}":{"0000":2}}`]));

async function put(request: APIRequestContext, name: string, data: Record<string, unknown>) {
  const r = await request.put(`${SERVICES}/${name}`, { data, headers: adminAuth });
  expect(r.status(), await r.text()).toBe(200);
}
async function stored(request: APIRequestContext, name: string): Promise<Record<string, unknown>> {
  const r = await request.get(`${SERVICES}/${name}`, { headers: adminAuth });
  expect(r.status()).toBe(200);
  return r.json();
}
/** Public v2 availability of one UTC day: slot start (HH:mm) → {capacity, total}. */
async function slots(request: APIRequestContext, date: string) {
  const r = await request.get(`/genesys/2/service/callback/${CB}/availability?start=${date}T00:00:00Z&end=${date}T23:59:00Z&timezone=UTC`);
  if (r.status() === 400) return {};
  expect(r.status(), await r.text()).toBe(200);
  const body = (await r.json()) as { slots: Array<{ utcTime: string; capacity: number; total: number }> };
  return Object.fromEntries(body.slots.map((s) => [s.utcTime.slice(11, 16), { capacity: s.capacity, total: s.total }]));
}
async function noSeriousAxe(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.beforeAll(async ({ request }) => {
  await putUser(request, ADMIN.user, "admin", ADMIN.password);
  await putUser(request, MONITOR.user, "monitor", MONITOR.password);
  await put(request, OH, { _service: "office-hours", _timezone: "UTC", _bh_regular1: "Mon-Fri 09:00-17:00" });
  await put(request, OH_NY, {
    _service: "office-hours",
    _timezone: "America/New_York",
    _bh_regular1: "Mon-Fri 9:00-17:00",
    _bh_regular2: "Sun 0:00-24:00",
  });
  await put(request, CAP, { _service: "capacity", _timezone: "UTC", ...CAPACITY_DAYS });
  await put(request, CB, {
    _service: "callback",
    _business_hours_service: OH,
    _capacity_service: CAP,
    _request_time_bucket: "60",
    _enable_in_queue_checking: "false",
  });
});

test.afterAll(async ({ request }) => {
  for (const name of [CB, OH, OH_NY, CAP]) await request.delete(`${SERVICES}/${name}`, { headers: adminAuth });
  await request.delete(`/genesys/1/admin/users/${ADMIN.user}`, { headers: adminAuth }); // later specs count the admins
});

test("an admin adds a Saturday range and a holiday; the engine stores the option strings and availability follows", async ({
  page,
  request,
}) => {
  expect(await slots(request, SAT)).toEqual({});
  expect(Object.keys(await slots(request, WED))).toHaveLength(8);

  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, ADMIN.user, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Office Hours" }).click();
  await page.getByLabel("Office-hours service").selectOption(OH);
  await expect(page).toHaveURL(new RegExp(`/office-hours\\?service=${OH}$`));
  await expect(page).toHaveTitle("Office Hours · Callback Service");
  await expect(page.getByLabel("Monday ranges")).toHaveValue("09:00-17:00");
  await expect(page.getByRole("gridcell", { name: "Monday 09:00, open" })).toBeVisible();
  await expect(page.getByRole("gridcell", { name: "Saturday 10:00, closed" })).toBeVisible();

  await page.getByLabel("Saturday ranges").fill("10:00-12:00");
  await expect(page.getByRole("gridcell", { name: "Saturday 11:30, open" })).toBeVisible();
  await page.getByRole("button", { name: "Add holiday" }).click();
  await page.getByLabel("Holiday 1 date").fill(WED);
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await page.getByRole("button", { name: "Save office hours" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved ${OH}.`);
  await expect(page.getByText("Unsaved changes")).toHaveCount(0);

  expect(await stored(request, OH)).toEqual({
    _service: "office-hours",
    _timezone: "UTC",
    _bh_regular1: "Mon-Fri 09:00-17:00",
    _bh_regular2: "Sat 10:00-12:00",
    _holiday1: WED,
  });
  expect(await slots(request, SAT)).toEqual({ "10:00": { capacity: 2, total: 2 }, "11:00": { capacity: 2, total: 2 } });
  expect(await slots(request, WED)).toEqual({});
});

test("the grid paints with the mouse and the keyboard; a bad zone or range shows beside its field and nothing is saved", async ({
  page,
  request,
}) => {
  const before = await stored(request, OH);
  await signInAs(page, ADMIN.user, ADMIN.password);
  await page.goto(`/office-hours?service=${OH}`);
  await hydrated(page);
  // drag across Sunday 08:00-09:30 opens it
  const from = page.getByRole("gridcell", { name: "Sunday 08:00, closed" });
  const to = page.getByRole("gridcell", { name: "Sunday 09:00, closed" });
  await from.hover();
  await page.mouse.down();
  await to.hover();
  await page.mouse.up();
  await expect(page.getByLabel("Sunday ranges")).toHaveValue("08:00-09:30");
  // keys: from Sunday 09:00, Shift+← twice selects 08:00-09:30, C closes it; ↑ then Space opens Saturday 08:00
  await page.getByRole("gridcell", { name: "Sunday 09:00, open" }).focus();
  await page.keyboard.press("ArrowRight"); // plain arrows collapse the dragged selection
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Shift+ArrowLeft");
  await page.keyboard.press("Shift+ArrowLeft");
  await page.keyboard.press("c");
  await expect(page.getByLabel("Sunday ranges")).toHaveValue("");
  await page.keyboard.press("ArrowUp");
  await expect(page.getByRole("gridcell", { name: "Saturday 08:00, closed" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page.getByLabel("Saturday ranges")).toHaveValue("08:00-08:30,10:00-12:00");

  await page.getByLabel("Time zone (IANA)").fill("Mars/Olympus");
  await expect(page.getByText('unknown time zone "Mars/Olympus"')).toBeVisible();
  await expect(page.getByLabel("Time zone (IANA)")).toHaveAttribute("aria-describedby", "zone-error");
  await page.getByLabel("Time zone (IANA)").fill("Europe/Berlin");
  await page.getByLabel("Monday ranges").fill("18:00-18:00");
  await expect(page.locator("#weekly\\.0-error")).toContainText("start equals end");
  await expect(page.getByRole("button", { name: "Save office hours" })).toBeDisabled();
  await expect(page.getByText("Fix the errors above to see the preview.")).toBeVisible();

  // leaving with unsaved edits asks first; declining keeps the page and the edits
  page.once("dialog", (d) => void d.dismiss());
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Capacity" }).click();
  await expect(page).toHaveURL(new RegExp(`/office-hours\\?service=${OH}$`));
  await expect(page.getByLabel("Monday ranges")).toHaveValue("18:00-18:00");
  expect(await stored(request, OH)).toEqual(before);
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByLabel("Monday ranges")).toHaveValue("09:00-17:00");
});

test("the week preview of New York's fall-back week shows the 25-hour Sunday in the office zone", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, ADMIN.user, ADMIN.password);
  await page.goto(`/office-hours?service=${OH_NY}`);
  await hydrated(page);
  await page.getByLabel("Week of").fill("2026-11-01");
  const preview = page.getByTestId("oh-preview");
  await expect(page.getByRole("heading", { name: "Week preview — times in America/New_York" })).toBeVisible();
  const sunday = preview.locator('[data-date="2026-11-01"]');
  await expect(sunday).toContainText("Sun 1 Nov");
  await expect(sunday).toContainText("25 h day (EDT → EST)");
  await expect(sunday).toContainText("00:00 EDT – 00:00 EST");
  await expect(preview.locator('[data-date="2026-10-30"]')).toContainText("09:00 EDT – 17:00 EDT");
  await expect(preview.locator('[data-date="2026-10-31"]')).toContainText("Closed (no regular hours this weekday)");
  // an unsaved edit is previewed at once: Saturday opens
  await page.getByLabel("Saturday ranges").fill("10:00-11:00");
  await expect(preview.locator('[data-date="2026-10-31"]')).toContainText("10:00 EDT – 11:00 EDT");
  await page.getByLabel("Week of").fill("2026-11-02");
  await expect(preview.locator('[data-date="2026-11-02"]')).toContainText("09:00 EST – 17:00 EST");
  await page.getByLabel("Week of").fill("2026-11-01");
  await expect(sunday).toContainText("25 h day");

  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await expect(page.getByRole("region", { name: /Week preview/ })).toHaveAttribute("aria-busy", "false");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "e2e/screenshots/office-hours.png" });
  await page.getByRole("region", { name: /Week preview/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "e2e/screenshots/office-hours-preview.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "e2e/screenshots/office-hours-phone.png" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await noSeriousAxe(page);
  await page.getByRole("button", { name: "Discard changes" }).click();
});

test("an admin paints capacity with drag and keys and edits a date exception; each save shows in availability and the heatmap", async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, ADMIN.user, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Capacity" }).click();
  await page.getByLabel("Capacity service").selectOption(CAP);
  await expect(page).toHaveURL(new RegExp(`/capacity\\?service=${CAP}$`));
  await expect(page.getByRole("gridcell", { name: "Saturday 10:00, capacity 2" })).toBeVisible();

  // drag Saturday 10:00 → 11:00, type 7, Enter
  await page.getByRole("gridcell", { name: "Saturday 10:00, capacity 2" }).hover();
  await page.mouse.down();
  await page.getByRole("gridcell", { name: "Saturday 11:00, capacity 2" }).hover();
  await page.mouse.up();
  await page.keyboard.type("7");
  await expect(page.getByText("Typing 7")).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("gridcell", { name: "Saturday 11:00, capacity 7" })).toBeVisible();
  // keys: Wednesday 09:00 + Shift+→ (09:00-10:00), the fill box sets 0
  await page.getByRole("gridcell", { name: "Wednesday 09:00, capacity 2" }).click();
  await page.keyboard.press("Shift+ArrowRight");
  await page.getByLabel("Fill selection with").fill("0");
  await page.getByRole("button", { name: "Fill Wednesday, 09:00–11:00" }).click();
  await expect(page.getByRole("gridcell", { name: "Wednesday 10:00, capacity 0" })).toBeVisible();

  await page.getByRole("button", { name: "Save capacity" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved ${CAP}.`);
  const s = await stored(request, CAP);
  expect(s._capacity_6).toBe('{"6":{"0000":2,"1000":7,"1200":2}}');
  expect(s._capacity_3).toBe('{"3":{"0000":2,"0900":0,"1100":2}}');
  expect(s._capacity_1).toBe(CAPACITY_DAYS._capacity_1);
  expect(await slots(request, SAT)).toEqual({ "10:00": { capacity: 7, total: 7 }, "11:00": { capacity: 7, total: 7 } });
  // the Availability heatmap of the service using the plan shows it at once (its table view: a row per bucket)
  await page.goto(`/availability?service=${CB}&start=${SAT}&days=1&zone=office`);
  await hydrated(page);
  await page.getByRole("button", { name: "Show as table" }).click();
  const bucket = (hhmm: string) =>
    page
      .getByTestId("heatmap-table")
      .locator("tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: new RegExp(`, ${hhmm}–`) }) });
  await expect(bucket("10:00")).toContainText(/Open\s*7\s*0\s*7/);
  await expect(bucket("09:00")).toContainText(/Closed/);
  await page.goto(`/capacity?service=${CAP}`);
  await hydrated(page);

  // a date exception starts as a copy of its weekday; Delete empties the selected cell
  await page.getByLabel("Exception date").fill(SAT);
  await page.getByRole("button", { name: "Add exception" }).click();
  await page.getByRole("gridcell", { name: `${SAT} 10:00, capacity 7` }).click();
  await page.keyboard.press("Delete");
  await expect(page.getByRole("gridcell", { name: `${SAT} 10:00, capacity 0` })).toBeVisible();
  await page.getByRole("button", { name: "Save capacity" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved ${CAP}.`);
  expect((await stored(request, CAP))._capacity_add).toBe(`{"${SAT}":{"0000":2,"1000":0,"1100":7,"1200":2}}`);
  expect(await slots(request, SAT)).toEqual({ "11:00": { capacity: 7, total: 7 } });
  await page.getByRole("button", { name: `Remove ${SAT}` }).click();
  await page.getByRole("button", { name: "Save capacity" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved ${CAP}.`);
  expect((await stored(request, CAP))._capacity_add).toBeUndefined();

  await page.getByLabel("Week of").fill(SAT);
  await expect(page.getByTestId("cap-preview").locator(`tr[data-date="${SAT}"] td`).nth(10)).toHaveText("7");
  await expect(page.getByRole("region", { name: /Week preview/ })).toHaveAttribute("aria-busy", "false");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "e2e/screenshots/capacity.png" });
  await page.getByRole("region", { name: /Week preview/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "e2e/screenshots/capacity-preview.png" });
  await noSeriousAxe(page);
});

test("a monitor sees both editors read-only and the save routes refuse it with 403", async ({ page, baseURL }) => {
  await signInAs(page, MONITOR.user, MONITOR.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Office Hours" }).click();
  await page.goto(`/office-hours?service=${OH}`);
  await expect(page.getByText("Read-only: only an admin can change office hours.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Save|Add holiday|Discard/ })).toHaveCount(0);
  await expect(page.getByLabel("Saturday ranges")).toHaveAttribute("readonly", "");
  await page.getByRole("gridcell", { name: "Saturday 10:00, open" }).focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("gridcell", { name: "Saturday 10:00, open" })).toBeVisible();
  await expect(page.getByTestId("oh-preview")).toBeVisible();
  await noSeriousAxe(page);

  await page.goto(`/capacity?service=${CAP}`);
  await expect(page.getByText("Read-only: only an admin can change capacity.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Save|Fill|Add exception/ })).toHaveCount(0);
  await expect(page.getByTestId("cap-preview")).toBeVisible();

  const headers = { origin: baseURL!, "content-type": "application/json" };
  for (const path of [`/api/console/office-hours/${OH}`, `/api/console/capacity/${CAP}`]) {
    const r = await page.request.put(path, { data: { options: { _timezone: "UTC" } }, headers });
    expect(r.status()).toBe(403);
  }
});
