// The callback form widget embedded on a page of ANOTHER origin (a static server started here; the API lists it
// in CORS_ORIGINS, see playwright.config.ts), and on the demo page the app serves.
import { test, expect, type Page, type APIRequestContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import http from "node:http";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { E2E_API, E2E_SITE_PORT } from "../playwright.config";
import { adminAuth } from "./helpers";

const SITE = `http://localhost:${E2E_SITE_PORT}`;
const pages = new Map<string, string>();
let site: http.Server;
let stalled: http.Server;
let stalledUrl: string;

test.beforeAll(async () => {
  site = http.createServer((req, res) => {
    const html = pages.get(req.url ?? "");
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((r) => site.listen(E2E_SITE_PORT, "localhost", r));
  stalled = http.createServer(() => {}); // accepts requests and never answers
  await new Promise<void>((r) => stalled.listen(0, "localhost", r));
  stalledUrl = `http://localhost:${(stalled.address() as AddressInfo).port}`;
  fs.mkdirSync("e2e/screenshots", { recursive: true });
});
test.afterAll(async () => {
  for (const s of [site, stalled]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A page of the other origin that configures and loads the widget like a customer site (in <head>, no defer). */
function sitePage(name: string, callback: object, calendar: object = {}, body = ""): string {
  pages.set(
    `/${name}.html`,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop ${name}</title>
<style>body { font-family: Georgia, serif; color: #700; } button { background: hotpink; font-size: 30px; } input { border: 5px dashed red; }</style>
<script>window._genesys = { widgets: { callback: ${JSON.stringify(callback)}, calendar: ${JSON.stringify(calendar)} } };</script>
<script src="${E2E_API}/widgets/callback-form.js"></script>
</head><body><main><h1>Shop</h1>${body}</main></body></html>`,
  );
  return `${SITE}/${name}.html`;
}

const dataURL = (service: string) => `${E2E_API}/genesys/1/service/callback/${service}`;
const parisDay = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());

async function putService(request: APIRequestContext, name: string, options: Record<string, unknown>) {
  const r = await request.put(`/genesys/1/admin/services/${name}`, { data: options, headers: adminAuth });
  expect(r.status(), await r.text()).toBe(200);
}
/** A callback service open around the clock in Paris (the visitor is in New York), `perBucket` callbacks per 15 minutes. */
async function openService(request: APIRequestContext, name: string, extra: Record<string, unknown> = {}) {
  await putService(request, `${name}-hours`, { _service: "office-hours", _timezone: "Europe/Paris", _bh_regular1: "Mon-Sun 00:00-24:00" });
  await putService(request, name, { _service: "callback", _business_hours_service: `${name}-hours`, _request_time_bucket: 15, ...extra });
}

const dialog = (page: Page) => page.getByRole("dialog");
const live = (page: Page) => dialog(page).getByRole("status");

async function fillDetails(page: Page, phone = "617 555 0142") {
  await dialog(page).getByLabel("First name").fill("Ada");
  await dialog(page).getByLabel("Last name (optional)").fill("Lovelace");
  await dialog(page).getByLabel("Phone number").fill(phone);
}

test("a page of another origin loads the widget, shows slots (visitor zone, office zone noted), schedules a callback the query API returns, and cancels it", async ({
  page,
  request,
}) => {
  await openService(request, "w-e2e-slots");
  const url = sitePage(
    "slots",
    { dataURL: dataURL("w-e2e-slots"), userData: { source: "shop" } },
    { showAvailability: true, numberOfDays: 3 },
  );
  await page.goto(url);
  const launcher = page.getByRole("button", { name: "Call me back" });
  // no style leakage either way: the page's button rules do not reach the widget, the widget's do not reach the page
  await expect(launcher).toHaveCSS("font-size", "15px");
  expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe("rgb(255, 105, 180)");
  await launcher.click();
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).getByRole("heading", { name: "Request a callback" })).toBeVisible();
  await expect(dialog(page).getByLabel("Country calling code")).toHaveValue("US");
  await fillDetails(page);
  await page.screenshot({ path: "e2e/screenshots/widget-form.png" });
  await dialog(page).getByLabel("At a time I choose").check();
  await dialog(page).getByRole("button", { name: "See available times" }).click();

  await expect(
    dialog(page).getByText("Times are shown in your time zone (America/New_York). The office is in Europe/Paris."),
  ).toBeVisible();
  const days = dialog(page).getByRole("group", { name: "Day" }).getByRole("button");
  expect(await days.count()).toBeGreaterThanOrEqual(3);
  await days.nth(1).click();
  await expect(days.nth(1)).toHaveAttribute("aria-pressed", "true");
  const time = dialog(page).getByRole("group", { name: "Time" }).getByRole("button").nth(4);
  const desired = await time.getAttribute("data-time");
  await time.click();
  await expect(dialog(page).getByText(/^Selected: .* your time, .* office time \(Europe\/Paris\)\.$/)).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/widget-slots.png" });
  await dialog(page).getByRole("button", { name: "Request this time" }).click();

  await expect(dialog(page).getByRole("heading", { name: "Callback requested" })).toBeVisible();
  const id = await dialog(page).locator("[data-callback-id]").textContent();
  await page.screenshot({ path: "e2e/screenshots/widget-confirmed.png" });
  const [rec] = await (await request.get(`/genesys/1/service/callback/w-e2e-slots/${id}`)).json();
  expect(rec).toMatchObject({
    _id: id,
    _desired_time: desired,
    _customer_number: "+16175550142",
    _callback_state: "SCHEDULED",
    firstname: "Ada",
    lastname: "Lovelace",
    source: "shop",
  });

  await dialog(page).getByRole("button", { name: "Cancel this callback" }).click();
  await expect(live(page)).toHaveText("Your callback request is cancelled.");
  const [after] = await (await request.get(`/genesys/1/service/callback/w-e2e-slots/${id}`)).json();
  expect(after._callback_state).toBe("COMPLETED");
});

test("a full slot (40051) is explained and its proposed slots are offered as buttons that book one", async ({ page, request }) => {
  await openService(request, "w-e2e-full", { _max_request_by_time_bucket: 1 });
  await page.goto(sitePage("full", { dataURL: dataURL("w-e2e-full") }));
  await page.getByRole("button", { name: "Call me back" }).click();
  await fillDetails(page, "617 555 0143");
  await dialog(page).getByLabel("At a time I choose").check();
  await dialog(page).getByRole("button", { name: "See available times" }).click();
  const time = dialog(page).getByRole("group", { name: "Time" }).getByRole("button").nth(2);
  const desired = await time.getAttribute("data-time");
  // someone else takes that slot while the visitor is choosing
  const other = await request.post("/genesys/1/service/callback/w-e2e-full", {
    data: { _customer_number: "+16175550199", _desired_time: desired },
  });
  expect(other.status()).toBe(200);
  await time.click();
  await dialog(page).getByRole("button", { name: "Request this time" }).click();
  await expect(live(page)).toContainText("Sorry, that time is fully booked.");
  await expect(live(page)).toContainText("These times are free:");
  const proposals = live(page).getByRole("button");
  expect(await proposals.count()).toBeGreaterThan(0);
  await page.screenshot({ path: "e2e/screenshots/widget-full.png" });
  await proposals.first().click();
  await expect(dialog(page).getByRole("heading", { name: "Callback requested" })).toBeVisible();
  const id = await dialog(page).locator("[data-callback-id]").textContent();
  const [rec] = await (await request.get(`/genesys/1/service/callback/w-e2e-full/${id}`)).json();
  expect(rec._desired_time).not.toBe(desired);
  expect(rec._customer_number).toBe("+16175550143");
});

test("a page configured like the real-site example works unchanged; office closed (40050) offers the proposed slots", async ({
  page,
  request,
}) => {
  const real = (service: string) => ({
    dataURL: dataURL(service),
    callDirection: "USERTERMINATED",
    userData: { site: "example", lang: "en" },
    countryCodes: true,
    immediateCallback: true,
    scheduledCallback: false,
  });
  const calendar = {
    showAvailability: true,
    numberOfDays: 5,
    calenderHours: {
      interval: 10,
      morning: { openTime: "09:00", closeTime: "11:59" },
      afternoon: { openTime: "12:00", closeTime: "16:59" },
      evening: { openTime: "17:00", closeTime: "23:59" },
    },
  };
  await openService(request, "w-e2e-real");
  const own = `<button type="button" onclick="window._genesys.widgets.bus.command('Callback.open')">Talk to us</button>`;
  await page.goto(sitePage("real", real("w-e2e-real"), calendar, own));
  const events = page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        const bus = (window as any)._genesys.widgets.bus;
        bus.subscribe("Callback.opened", () => seen.push("opened"));
        bus.subscribe("Callback.closed", () => (seen.push("closed"), resolve(seen)));
      }),
  );
  await page.getByRole("button", { name: "Talk to us" }).click();
  await fillDetails(page, "(617) 555-0144");
  await expect(dialog(page).getByRole("radio")).toHaveCount(0); // scheduledCallback: false → "call me now" only
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  await expect(dialog(page).getByText("Thank you! We will call you shortly.")).toBeVisible();
  const id = await dialog(page).locator("[data-callback-id]").textContent();
  const [rec] = await (await request.get(`/genesys/1/service/callback/w-e2e-real/${id}`)).json();
  expect(rec).toMatchObject({ _customer_number: "+16175550144", site: "example", lang: "en", firstname: "Ada" });
  expect(rec._callback_state).not.toBe("SCHEDULED");
  await dialog(page).getByRole("button", { name: "Close", exact: true }).click();
  expect(await events).toEqual(["opened", "closed"]);

  // the same page against a service closed today (a holiday in the office's zone)
  await putService(request, "w-e2e-closed-hours", {
    _service: "office-hours",
    _timezone: "Europe/Paris",
    _bh_regular1: "Mon-Sun 00:00-24:00",
    _holiday1: parisDay(),
  });
  await putService(request, "w-e2e-closed", {
    _service: "callback",
    _business_hours_service: "w-e2e-closed-hours",
    _request_time_bucket: 15,
  });
  await page.goto(sitePage("closed", real("w-e2e-closed"), calendar, own));
  await page.getByRole("button", { name: "Talk to us" }).click();
  await fillDetails(page, "617 555 0145");
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  await expect(live(page)).toContainText("Sorry, we are closed at that time.");
  const proposal = live(page).getByRole("button").first();
  await expect(proposal).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/widget-closed.png" });
  await proposal.click();
  await expect(dialog(page).getByText(/^Thank you! We will call you on .* \(your time\)\.$/)).toBeVisible();
  const closedId = await dialog(page).locator("[data-callback-id]").textContent();
  const [booked] = await (await request.get(`/genesys/1/service/callback/w-e2e-closed/${closedId}`)).json();
  expect(booked._callback_state).toBe("SCHEDULED");
  expect(Date.parse(booked._desired_time)).toBeGreaterThan(Date.now());
});

test("an invalid number shows the server's 40010 reason on the phone field; a throttled service (429) says so", async ({
  page,
  request,
}) => {
  await openService(request, "w-e2e-limits", { _throttle_callbacks_per_service_1: 1, _throttle_ttl_1: 300 });
  await page.goto(sitePage("limits", { dataURL: dataURL("w-e2e-limits"), scheduledCallback: false }));
  await page.getByRole("button", { name: "Call me back" }).click();
  await fillDetails(page, "12ab");
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  const phone = dialog(page).getByLabel("Phone number");
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(phone).toHaveAccessibleDescription("Please enter a phone number with its area code, digits only.");

  await phone.fill("555 0100"); // passes the light check, refused by libphonenumber on the server
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  await expect(live(page)).toHaveText("Please check the phone number.");
  await expect(phone).toHaveAccessibleDescription(/^Customer Number \[\+15550100\] is disallowed, because it is invalid\.$/);
  await expect(phone).toBeFocused();

  expect((await request.post("/genesys/1/service/callback/w-e2e-limits", { data: { _customer_number: "+16175550198" } })).status()).toBe(
    200,
  );
  await phone.fill("617 555 0146");
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  await expect(live(page)).toHaveText("We are receiving too many requests right now. Please try again in a few minutes.");
});

test("a stalled endpoint is rejected cleanly after ajaxTimeout: the command rejects with TIMEOUT and the form says so", async ({
  page,
}) => {
  await page.goto(
    sitePage("stalled", { dataURL: `${stalledUrl}/genesys/1/service/callback/x`, ajaxTimeout: 1000, scheduledCallback: false }),
  );
  const rejected = await page.evaluate(() =>
    (window as any)._genesys.widgets.bus
      .registerPlugin("Probe")
      .command("CallbackService.schedule", { phonenumber: "+16175550147" })
      .then(
        () => "resolved",
        (e: unknown) => e,
      ),
  );
  expect(rejected).toEqual({ status: 0, phrase: "TIMEOUT", message: "No answer from the callback service within 1000 ms" });
  await page.getByRole("button", { name: "Call me back" }).click();
  await fillDetails(page);
  const t0 = Date.now();
  await dialog(page).getByRole("button", { name: "Call me now" }).click();
  await expect(live(page)).toHaveText("The callback service did not answer in time. Please try again.");
  expect(Date.now() - t0).toBeLessThan(5000);
});

test("keyboard only: open, fill, choose a day and a time with arrows, book; Tab stays in the dialog; Escape returns focus", async ({
  page,
  request,
}) => {
  await openService(request, "w-e2e-keys");
  const own = `<button type="button" onclick="CXBus.command('Callback.open')">Call us</button>`;
  await page.goto(sitePage("keys", { dataURL: dataURL("w-e2e-keys"), launcher: false }, { numberOfDays: 2 }, own));
  await expect(page.getByRole("button", { name: "Call me back" })).toHaveCount(0);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Call us" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog(page).getByLabel("First name")).toBeFocused();
  await page.keyboard.type("Grace");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Hopper");
  await page.keyboard.press("Tab");
  await expect(dialog(page).getByLabel("Country calling code")).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.type("6175550148");
  await page.keyboard.press("Tab");
  await expect(dialog(page).getByLabel("As soon as possible")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(dialog(page).getByLabel("At a time I choose")).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(dialog(page).getByRole("button", { name: "See available times" })).toBeFocused();
  await page.keyboard.press("Enter");

  const days = dialog(page).getByRole("group", { name: "Day" }).getByRole("button");
  await expect(days.first()).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(days.nth(1)).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(days.nth(1)).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("Tab");
  const times = dialog(page).getByRole("group", { name: "Time" }).getByRole("button");
  await expect(times.first()).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Space");
  await expect(times.nth(2)).toHaveAttribute("aria-pressed", "true");
  const desired = await times.nth(2).getAttribute("data-time");
  await page.keyboard.press("Tab");
  await expect(dialog(page).getByRole("button", { name: "Request this time" })).toBeFocused();
  // the focus trap: past the last control (Back) Tab wraps to the first (Close), and Shift+Tab wraps back
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(dialog(page).getByRole("button", { name: "Close the callback form" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(dialog(page).getByRole("button", { name: "Back", exact: true })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");

  await expect(dialog(page).getByRole("heading", { name: "Callback requested" })).toBeVisible();
  const id = await dialog(page).locator("[data-callback-id]").textContent();
  const [rec] = await (await request.get(`/genesys/1/service/callback/w-e2e-keys/${id}`)).json();
  expect(rec).toMatchObject({ _desired_time: desired, firstname: "Grace", lastname: "Hopper", _customer_number: "+16175550148" });
  await page.keyboard.press("Escape");
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Call us" })).toBeFocused();
});

test("the demo page at /widgets/demo embeds the form against demo-scheduled, with no serious or critical axe violations", async ({
  page,
}) => {
  const res = await page.goto("/widgets/demo");
  expect(res!.headers()["content-security-policy"]).toBeUndefined(); // embeddable, like the scripts
  const script = await page.request.get("/widgets/callback-form.js");
  expect(script.headers()["content-type"]).toBe("text/javascript; charset=utf-8");
  expect(script.headers()["cache-control"]).toBe("public, max-age=600, stale-while-revalidate=86400");
  expect(script.headers()["x-frame-options"]).toBeUndefined();
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(await serious()).toEqual([]);
  await page.getByRole("button", { name: "Request a callback" }).click();
  await fillDetails(page);
  expect(await serious()).toEqual([]);
  await dialog(page).getByLabel("At a time I choose").check();
  await dialog(page).getByRole("button", { name: "See available times" }).click();
  await expect(dialog(page).getByRole("group", { name: "Time" }).getByRole("button").first()).toBeVisible();
  await dialog(page).getByRole("group", { name: "Time" }).getByRole("button").first().click();
  await page.screenshot({ path: "e2e/screenshots/widget-demo.png" });
  expect(await serious()).toEqual([]);
});
