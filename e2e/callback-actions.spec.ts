// What a supervisor does with the Callbacks page's actions, against the production build: create, reschedule,
// cancel, bulk cancel (a selection, a whole range with a PROCESSING callback left alone) and the CSV downloads;
// a monitor sees none of it. Callbacks are booked days ahead so the embedded simulator leaves them where they are.
import { test, expect, type APIRequestContext, type Download, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import path from "node:path";
import { adminAuth, putUser, signInAs, hydrated } from "./helpers";

const ONE = "e2e-act-one";
const BULK = "e2e-act-bulk";
const RANGE = "e2e-act-range";
const H = 3_600_000;
const SHOTS = path.join(__dirname, "screenshots");
const SERVICE = {
  _service: "callback",
  _type: "builtin",
  _enable_in_queue_checking: "false",
  _max_request_by_time_bucket: 100,
  _throttle_callbacks_per_service_1: 100000,
  _throttle_callbacks_per_service_2: 100000,
  _default_country: "US",
};

// in order: the reports test reads what the bulk cancels before it cancelled
test.describe.configure({ mode: "serial" });

async function book(request: APIRequestContext, service: string, at: number, number: string, extra: object = {}): Promise<string> {
  const r = await request.post(`/genesys/1/service/callback/${service}`, {
    data: { _customer_number: number, _desired_time: new Date(at).toISOString(), ...extra },
  });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json())._id as string;
}
async function record(request: APIRequestContext, service: string, id: string): Promise<Record<string, string>> {
  const [rec] = await (await request.get(`/genesys/1/service/callback/${service}/${id}`)).json();
  return rec as Record<string, string>;
}
/** Tomorrow at noon (New York), on the hour: far from the simulator, inside the next 7 days. */
const tomorrowNoon = () => {
  const d = new Date(Date.now() + 24 * H);
  d.setUTCHours(17, 0, 0, 0);
  return d.getTime();
};

test.beforeAll(async ({ request }) => {
  for (const s of [ONE, BULK, RANGE])
    expect((await request.put(`/genesys/1/admin/services/${s}`, { data: SERVICE, headers: adminAuth })).status()).toBe(200);
  await putUser(request, "super-act", "supervisor", "super-act-pass-1");
  await putUser(request, "mon-act", "monitor", "mon-act-pass-1");
});

// the services go, their callbacks stay: later specs count the configured services (the Monitor's cards)
test.afterAll(async ({ request }) => {
  for (const s of [ONE, BULK, RANGE])
    expect((await request.delete(`/genesys/1/admin/services/${s}`, { headers: adminAuth })).status()).toBe(200);
});

const signIn = (page: Page) => signInAs(page, "super-act", "super-act-pass-1");
const count = (page: Page) => page.locator(".statusbar .count");
const rows = (page: Page) => page.getByRole("table", { name: "Callbacks" }).locator("tbody tr.row");
const ready = (page: Page) => expect(rows(page).first().locator(".hint")).toHaveText(/^(in|\d).+/);
const toast = (page: Page) => page.locator(".toast[role=status]");
const actions = (page: Page) => page.getByRole("group", { name: "Actions" });
const csvOf = async (d: Download) =>
  fs
    .readFileSync((await d.path())!, "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

test("a supervisor creates a callback now and one in a free slot, and sees each in the list", async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto(`/callbacks?window=today&service=${ONE}`);
  await expect(count(page)).toHaveText("No callbacks found.");
  // the empty table offers to create one
  await page.getByRole("table", { name: "Callbacks" }).getByRole("button", { name: "create one" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a callback" });
  await dialog.getByLabel("Service").selectOption(ONE);
  await dialog.getByLabel("Customer number").fill("617 555 0101");
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Create the callback" }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page)).toContainText(/Callback \w{8} created\./);
  await expect(count(page)).toHaveText("1 callback(s) found");
  await expect(rows(page).first()).toContainText("+1 617 555 0101");

  await page.goto(`/callbacks?window=next7d&service=${ONE}&state=SCHEDULED`);
  await expect(count(page)).toHaveText("No callbacks found.");
  await actions(page).getByRole("button", { name: "Create callback" }).click();
  await dialog.getByLabel("Service").selectOption(ONE);
  await dialog.getByLabel("Customer number").fill("6175550102");
  await dialog.getByLabel("In a free slot").check();
  await dialog.getByLabel("Day").fill(new Date(tomorrowNoon()).toISOString().slice(0, 10));
  const slot = dialog.getByRole("radiogroup", { name: "Free slots" }).getByRole("radio").nth(20);
  await slot.check();
  const chosen = await slot.getAttribute("value");
  await page.screenshot({ path: path.join(SHOTS, "create-callback.png") });
  await dialog.getByRole("button", { name: "Create the callback" }).click();
  await expect(dialog).toBeHidden();
  await expect(count(page)).toHaveText("1 callback(s) found");
  await expect(rows(page).first()).toContainText("+1 617 555 0102");
  await expect(rows(page).first()).toContainText("SCHEDULED");
  const id = await rows(page).first().getAttribute("data-id");
  expect(Date.parse((await record(page.request, ONE, id!))._desired_time!)).toBe(Date.parse(chosen!));

  // on a phone the dialog fits the screen: no sideways scrolling, the buttons within reach
  await page.setViewportSize({ width: 390, height: 844 });
  await actions(page).getByRole("button", { name: "Create callback" }).click();
  await dialog.getByLabel("In a free slot").check();
  await expect(dialog.getByRole("radiogroup", { name: "Free slots" }).getByRole("radio").first()).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(SHOTS, "create-callback-phone.png") });
  await dialog.getByRole("button", { name: "Create the callback" }).scrollIntoViewIfNeeded();
  await expect(dialog.getByRole("button", { name: "Create the callback" })).toBeInViewport();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

test("a supervisor reschedules a callback from the drawer to a free slot and sees the new time", async ({ page, request }) => {
  const id = await book(request, ONE, tomorrowNoon(), "+16175550103");
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${ONE}&open=${id}`);
  const drawer = page.getByRole("dialog");
  await drawer.getByRole("button", { name: "Reschedule…" }).click();
  const dialog = page.getByRole("dialog", { name: "Reschedule callback" });
  await dialog.getByLabel("Day").fill(new Date(tomorrowNoon() + 24 * H).toISOString().slice(0, 10));
  const slot = dialog.getByRole("radiogroup", { name: "Free slots" }).getByRole("radio").nth(40);
  await slot.check();
  const chosen = (await slot.getAttribute("value"))!;
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "reschedule.png") });
  await dialog.getByRole("button", { name: "Move to the chosen slot" }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page)).toContainText(`Callback ${id.slice(0, 8)} rescheduled to`);
  await expect(drawer.locator("dd time").first()).toHaveAttribute("datetime", new Date(chosen).toISOString());
  expect(Date.parse((await record(request, ONE, id))._desired_time!)).toBe(Date.parse(chosen));
  await expect(page.locator(`tr[data-id="${id}"] time`)).toHaveAttribute("datetime", new Date(chosen).toISOString());
});

test("a supervisor cancels a callback from the drawer after a confirmation named by its effect", async ({ page, request }) => {
  const id = await book(request, ONE, tomorrowNoon() + 2 * H, "+16175550104");
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${ONE}&open=${id}`);
  await hydrated(page);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel callback…" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel this callback?" });
  await expect(confirm).toContainText("CANCELLED_BY_ADMIN");
  await confirm.getByRole("button", { name: "Cancel the callback" }).click();
  await expect(confirm).toBeHidden();
  await expect(toast(page)).toContainText(`Callback ${id.slice(0, 8)} cancelled`);
  await expect(page.getByRole("dialog")).toContainText("CANCELLED_BY_ADMIN");
  await expect(page.locator(`tr[data-id="${id}"]`)).toContainText("COMPLETED");
  expect(await record(request, ONE, id)).toMatchObject({ _callback_state: "COMPLETED", _callback_reason: "CANCELLED_BY_ADMIN" });
});

test("a supervisor bulk cancels a selection, with the action bar and the confirmation photographed", async ({ page, request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => book(request, BULK, tomorrowNoon() + i * H, `+1617555020${i}`)));
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${BULK}`);
  await expect(count(page)).toHaveText("6 callback(s) found");
  await ready(page);
  for (const i of [0, 2, 3]) await rows(page).nth(i).getByRole("checkbox").check();
  await expect(actions(page).getByRole("button", { name: "Cancel selected (3)" })).toBeEnabled();
  await page.screenshot({ path: path.join(SHOTS, "callbacks-actions.png") });
  await actions(page).getByRole("button", { name: "Cancel selected (3)" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel 3 callbacks?" });
  await expect(confirm).toContainText(`Cancel 3 callbacks of ${BULK} (the selected rows)? PROCESSING callbacks are left alone`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "bulk-cancel-confirm.png") });
  await confirm.getByRole("button", { name: "Cancel 3 callbacks" }).click();
  await expect(actions(page)).toContainText("Done: 3 cancelled, 0 skipped");
  await expect(toast(page)).toContainText("Bulk cancel done: 3 cancelled");
  await expect(page.getByText("0 selected")).toBeVisible();
  for (const i of [0, 2, 3]) await expect(rows(page).nth(i)).toContainText("COMPLETED");
  await expect(rows(page).nth(1)).toContainText("SCHEDULED");
  const states = await Promise.all(ids.map(async (id) => (await record(request, BULK, id))._callback_state));
  expect(states.filter((s) => s === "COMPLETED")).toHaveLength(3);
});

test("a supervisor cancels a whole range; the PROCESSING callback is left alone; progress shows and the results CSV downloads", async ({
  page,
  request,
}) => {
  const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => book(request, RANGE, tomorrowNoon() + i * H, `+1212555030${i % 10}`)));
  // an external engine takes one to PROCESSING through the public API
  const busy = await book(request, RANGE, tomorrowNoon() + 30 * 60_000, "+12125550399", { _callback_state: "SCHEDULED" });
  for (const s of ["QUEUED", "ROUTING", "PROCESSING"]) {
    const r = await request.put(`/genesys/1/service/callback/${RANGE}/${busy}`, { data: { _callback_state: s } });
    expect(r.status(), await r.text()).toBe(200);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${RANGE}`);
  await expect(count(page)).toHaveText("13 callback(s) found");
  await actions(page).getByRole("button", { name: "Cancel All Callbacks in Current Time Range" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel 12 callbacks?" });
  await expect(confirm).toContainText(`Cancel 13 callbacks of ${RANGE} between`);
  await expect(confirm).toContainText("PROCESSING callbacks are left alone (1 now)");
  await confirm.getByRole("button", { name: "Cancel 12 callbacks" }).click();
  await expect(actions(page).getByRole("progressbar", { name: "Bulk cancel progress" })).toBeVisible();
  await expect(actions(page)).toContainText("Done: 12 cancelled, 1 skipped");
  await page.screenshot({ path: path.join(SHOTS, "bulk-cancel-progress.png") });
  await expect(page.locator(`tr[data-id="${busy}"]`)).toContainText("PROCESSING");
  expect((await record(request, RANGE, busy))._callback_state).toBe("PROCESSING");
  for (const id of ids.slice(0, 3)) expect((await record(request, RANGE, id))._callback_reason).toBe("CANCELLED_BY_ADMIN");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    actions(page).getByRole("link", { name: "Download the results (CSV)" }).click(),
  ]);
  const lines = await csvOf(download);
  expect(lines[0]).toBe("_id,status,message");
  expect(lines).toHaveLength(14);
  expect(lines.find((l) => l.startsWith(busy))).toMatch(/,skipped,.*is PROCESSING/);
  expect(lines.filter((l) => l.endsWith(",cancelled,"))).toHaveLength(12);
});

test("a supervisor downloads the current view and the cancelled-callbacks report as CSV", async ({ page }) => {
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${BULK}`);
  await expect(count(page)).toHaveText("6 callback(s) found");
  await actions(page).getByRole("button", { name: "Download reports…" }).click();
  const dialog = page.getByRole("dialog", { name: "Download reports" });
  expect(await seriousViolations(page)).toEqual([]);
  const [view] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Current view as CSV" }).click()]);
  const viewLines = await csvOf(view);
  expect(viewLines[0]).toContain("_id");
  expect(viewLines).toHaveLength(7);
  expect(viewLines.slice(1).every((l) => l.includes(BULK))).toBe(true);

  await dialog.getByLabel("Service").fill(BULK);
  const [cancelled] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("link", { name: "Cancelled callbacks as CSV" }).click(),
  ]);
  const cancelledLines = await csvOf(cancelled);
  expect(cancelledLines[0]).toMatch(/^_desired_time,_service_name,_customer_number,/);
  expect(cancelledLines).toHaveLength(4);
  expect(cancelledLines.slice(1).every((l) => l.includes(BULK))).toBe(true);
});

test("a monitor sees no action control on the Callbacks page nor in the drawer", async ({ page, request }) => {
  const id = await book(request, ONE, tomorrowNoon() + 3 * H, "+16175550105");
  await signInAs(page, "mon-act", "mon-act-pass-1");
  await page.goto(`/callbacks?window=next7d&service=${ONE}&open=${id}`);
  await expect(page.getByRole("dialog")).toContainText("SCHEDULED");
  await expect(actions(page)).toHaveCount(0);
  for (const name of [/Create callback/, /Cancel/, /Reschedule/, /Download reports/])
    await expect(page.getByRole("button", { name })).toHaveCount(0);
});

test("a supervisor with the keyboard alone filters, opens a callback and cancels it", async ({ page, request }) => {
  const id = await book(request, ONE, tomorrowNoon() + 4 * H, "+16175550106");
  await signIn(page);
  await page.goto(`/callbacks?window=next7d&service=${ONE}`);
  await ready(page);
  await page.keyboard.press("/");
  await expect(page.getByLabel("Customer number")).toBeFocused();
  await page.keyboard.type("6175550106");
  await expect(count(page)).toHaveText("1 callback(s) found");
  const row = page.locator(`tr[data-id="${id}"]`);
  for (let i = 0; i < 40 && !(await row.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(row).toBeFocused();
  await page.keyboard.press("Enter");
  const drawer = page.getByRole("dialog");
  const cancel = drawer.getByRole("button", { name: "Cancel callback…" });
  for (let i = 0; i < 20 && !(await cancel.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(cancel).toBeFocused();
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: "Cancel this callback?" });
  await expect(confirm).toBeVisible();
  const yes = confirm.getByRole("button", { name: "Cancel the callback" });
  for (let i = 0; i < 5 && !(await yes.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(yes).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(toast(page)).toContainText(`Callback ${id.slice(0, 8)} cancelled`);
  await expect(row).toContainText("COMPLETED");
  expect((await record(request, ONE, id))._callback_state).toBe("COMPLETED");
});
