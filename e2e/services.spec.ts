// What an admin does on the Configured Services pages, against the production build: add services from each
// template and from scenario presets, see a bad value refused beside its field (nothing saved), be refused deleting a
// referenced service, pause a service (a new immediate callback is held as PAUSED), duplicate, edit the settings;
// a monitor sees everything read-only. Services are created fresh and deleted afterwards.
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import path from "node:path";
import { adminAuth, putUser, signInAs, hydrated } from "./helpers";

const HOURS = "e2e-svc-hours";
const PLAN = "e2e-svc-plan";
const CB = "e2e-svc-cb";
const CHAT = "e2e-svc-chat";
const COPY = "e2e-svc-copy";
const REF = "e2e-svc-ref";
const ALL = [REF, COPY, CHAT, CB, PLAN, HOURS];
const SHOTS = path.join(__dirname, "screenshots");

test.describe.configure({ mode: "serial" });

let settingsBefore: Record<string, unknown> = {};

const adminGet = async (request: APIRequestContext, name: string) => {
  const r = await request.get(`/genesys/1/admin/services/${name}`, { headers: adminAuth });
  return { status: r.status(), options: r.status() === 200 ? ((await r.json()) as Record<string, unknown>) : {} };
};
const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
const signInAdmin = (page: Page) => signInAs(page, "admin-svc", "admin-svc-pass-1");
const status = (page: Page) => page.locator("form [role=status]");

test.beforeAll(async ({ request }) => {
  await putUser(request, "admin-svc", "admin", "admin-svc-pass-1");
  await putUser(request, "mon-svc", "monitor", "mon-svc-pass-1");
  settingsBefore = await (await request.get("/genesys/1/admin/settings/callback", { headers: adminAuth })).json();
});

// other specs count the configured services: leave none behind, and the settings as they were
test.afterAll(async ({ request }) => {
  for (const s of ALL) await request.delete(`/genesys/1/admin/services/${s}`, { headers: adminAuth });
  await request.put("/genesys/1/admin/settings/callback", { data: settingsBefore, headers: adminAuth });
  await request.delete("/genesys/1/admin/users/admin-svc", { headers: adminAuth }); // later specs count the admins
});

async function addService(page: Page, name: string, template: string, preset?: string) {
  await page.goto("/services");
  await hydrated(page);
  await page.getByRole("button", { name: "Add New Service" }).click();
  const dialog = page.getByRole("dialog", { name: "Add New Service" });
  await dialog.getByLabel("Service template").selectOption(template);
  await dialog.getByLabel("Service name").fill(name);
  if (preset) await dialog.getByLabel("Common default configuration").selectOption({ label: preset });
  return dialog;
}

test("an admin adds a service from each template and from two scenario presets", async ({ page, request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAdmin(page);

  let dialog = await addService(page, HOURS, "office-hours");
  await expect(dialog.getByRole("combobox", { name: "_timezone" })).toHaveValue("America/New_York");
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${HOURS}\\?added=1$`));
  await expect(page.getByRole("heading", { level: 1, name: HOURS })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open in the Office Hours editor" })).toHaveAttribute(
    "href",
    `/office-hours?service=${HOURS}`,
  );
  expect((await adminGet(request, HOURS)).options).toMatchObject({ _service: "office-hours", _timezone: "America/New_York" });

  dialog = await addService(page, PLAN, "capacity");
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${PLAN}\\?added=1$`));
  await expect(page.getByRole("link", { name: "Open in the Capacity editor" })).toHaveAttribute("href", `/capacity?service=${PLAN}`);
  expect((await adminGet(request, PLAN)).options).toMatchObject({ _service: "capacity", _timezone: "America/New_York" });

  dialog = await addService(page, CB, "callback", "User Terminated Immediate");
  await expect(dialog.getByRole("combobox", { name: "_wait_for_agent", exact: true })).toHaveValue("false");
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${CB}\\?added=1$`));
  expect((await adminGet(request, CB)).options).toEqual({
    _service: "callback",
    _type: "builtin",
    _media_type: "voice",
    _wait_for_agent: "false",
    _wait_for_user_confirm: "false",
  });

  // the preset's values are shown for review before saving; one is changed there
  dialog = await addService(page, CHAT, "callback", "Chat Delayed");
  await expect(dialog.getByRole("combobox", { name: "_media_type", exact: true })).toHaveValue("chat");
  await expect(dialog.getByRole("textbox", { name: "_request_queue_time_stat", exact: true })).toHaveValue("EWT");
  await dialog.getByRole("combobox", { name: "_wait_for_agent", exact: true }).selectOption("false");
  await page.screenshot({ path: path.join(SHOTS, "add-service.png") });
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${CHAT}\\?added=1$`));
  expect((await adminGet(request, CHAT)).options).toEqual({
    _service: "callback",
    _type: "builtin",
    _media_type: "chat",
    _wait_for_agent: "false",
    _request_queue_time_stat: "EWT",
  });

  // a taken or invalid name is refused in the dialog, beside the name
  dialog = await addService(page, CB, "callback", "Samples");
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(dialog.getByText(`Name a service named ${CB} already exists`)).toBeVisible();
  await dialog.getByLabel("Service name").fill("no spaces allowed");
  await dialog.getByRole("button", { name: "Add service" }).click();
  await expect(dialog.getByLabel("Service name")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // the list: kinds, references both ways once a callback service names the calendar
  await request.put(`/genesys/1/admin/services/${REF}`, {
    data: { _service: "callback", _business_hours_service: HOURS, _enable_in_queue_checking: "false" },
    headers: adminAuth,
  });
  await page.goto("/services?q=e2e-svc");
  const table = page.getByRole("table", { name: "Configured services" });
  await expect(table.locator("tbody tr")).toHaveCount(ALL.length - 1);
  const rowOf = (name: string) => table.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
  const hoursRow = rowOf(HOURS);
  await expect(hoursRow).toContainText("office hours");
  await expect(hoursRow).toContainText(`${REF} via _business_hours_service`);
  await expect(rowOf(REF).getByRole("link", { name: HOURS })).toBeVisible();
  await page.getByLabel("Search services").fill("e2e-svc-ch");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(page).toHaveURL(/\/services\?q=e2e-svc-ch$/);
  await page.getByLabel("Search services").fill("");
  await page.screenshot({ path: path.join(SHOTS, "services-list.png") });
  expect(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, "services-list-phone.png") });
  await page.goto(`/services/${CB}`);
  await page.screenshot({ path: path.join(SHOTS, "service-edit-phone.png") });
});

test("a bad value is refused beside its field and nothing is saved; leaving with unsaved edits asks first", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAdmin(page);
  await page.goto(`/services/${HOURS}`);
  await hydrated(page);
  await page.getByLabel("_timezone").fill("Mars/Olympus_Mons");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("_timezone must be an IANA time zone such as America/New_York")).toBeVisible();
  await expect(page.getByLabel("_timezone")).toHaveAttribute("aria-invalid", "true");
  await expect(status(page)).toHaveText("Not saved: 1 option(s) need a fix (shown beside each).");
  expect((await adminGet(request, HOURS)).options._timezone).toBe("America/New_York");

  // a callback service: out-of-range numbers, both named
  await page.goto(`/services/${CB}`);
  await hydrated(page);
  await page.getByLabel("_sim_answer_rate").fill("2");
  await page.getByLabel("_max_ors_submit_attempts").fill("500");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("_sim_answer_rate must be <= 1")).toBeVisible();
  await expect(page.getByText("_max_ors_submit_attempts must be <= 100")).toBeVisible();
  expect((await adminGet(request, CB)).options).not.toHaveProperty("_sim_answer_rate");
  await page.getByLabel("_default_country").fill("ZZ");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("_default_country must be an ISO 3166 alpha-2 country code such as US")).toBeVisible();
  await expect(status(page)).toHaveText("Not saved: 3 option(s) need a fix (shown beside each).");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, "service-edit.png") });
  expect(await seriousViolations(page)).toEqual([]);

  // an in-app link with unsaved edits asks; dismissing stays on the page
  page.once("dialog", (d) => void d.dismiss());
  await page.getByRole("link", { name: "← All services" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${CB}$`));
  await page.getByRole("button", { name: "Discard changes" }).click();
  await page.getByRole("link", { name: "← All services" }).click();
  await expect(page).toHaveURL(/\/services$/);
});

test("deleting a referenced service is refused with the names of the services that reference it", async ({ page, request }) => {
  await signInAdmin(page);
  await page.goto(`/services/${HOURS}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${HOURS}?` });
  await dialog.getByRole("button", { name: `Delete ${HOURS}` }).click();
  await expect(dialog.getByRole("alert")).toContainText(
    `Not deleted: Service ${HOURS} cannot be deleted: it is referenced by ${REF} (_business_hours_service)`,
  );
  expect((await adminGet(request, HOURS)).status).toBe(200);
});

test("a paused service holds a new immediate callback as PAUSED; resumed, it is queued again", async ({ page, request }) => {
  await signInAdmin(page);
  await page.goto(`/services/${CB}`);
  // no simulated agent: a queued callback stays QUEUED, so what pausing does is what is seen
  await page.getByLabel("_sim_agents").fill("0");
  await page.getByLabel("_enable_in_queue_checking").selectOption("false");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(status(page)).toContainText("Saved:");
  expect((await adminGet(request, CB)).options).toMatchObject({ _sim_agents: "0", _enable_in_queue_checking: "false" });

  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await page
    .getByRole("dialog", { name: `Pause ${CB}?` })
    .getByRole("button", { name: `Pause ${CB}` })
    .click();
  await expect(page.locator("h1 ~ span", { hasText: "Paused" })).toBeVisible();
  expect((await adminGet(request, CB)).options._paused).toBe("true");

  const r = await request.post(`/genesys/1/service/callback/${CB}`, { data: { _customer_number: "+16175550177" } });
  expect(r.status(), await r.text()).toBe(200);
  const id = (await r.json())._id as string;
  const state = async () =>
    ((await (await request.get(`/genesys/1/service/callback/${CB}/${id}`)).json()) as Array<Record<string, string>>)[0]!._callback_state;
  await expect.poll(state, { timeout: 20_000 }).toBe("PAUSED");

  await page.getByRole("button", { name: "Resume", exact: true }).click();
  await page
    .getByRole("dialog", { name: `Resume ${CB}?` })
    .getByRole("button", { name: `Resume ${CB}` })
    .click();
  await expect(page.getByRole("button", { name: "Pause", exact: true })).toBeVisible();
  expect((await adminGet(request, CB)).options._paused).toBe("false");
  await expect.poll(state, { timeout: 20_000 }).toBe("QUEUED");
  await request.delete(`/genesys/1/service/callback/${CB}/${id}`);
});

test("an admin duplicates a service under a new name, and copies its embed snippet", async ({ page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAdmin(page);
  await page.goto(`/services/${CHAT}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Duplicate" }).click();
  const dialog = page.getByRole("dialog", { name: `Duplicate ${CHAT}` });
  await dialog.getByLabel("New service name").fill(COPY);
  await dialog.getByRole("button", { name: `Duplicate as ${COPY}` }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${COPY}\\?added=1$`));
  expect((await adminGet(request, COPY)).options).toEqual((await adminGet(request, CHAT)).options);

  await page.getByRole("link", { name: "Embed" }).click();
  await expect(page).toHaveURL(new RegExp(`/services/${COPY}\\?tab=embed$`));
  const origin = new URL(page.url()).origin;
  await expect(page.getByLabel("Embed code")).toContainText(`dataURL: "${origin}/genesys/1/service/callback/${COPY}"`);
  await expect(page.getByText("CORS_ORIGINS", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Copy the code" }).click();
  await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`${origin}/widgets/callback-form.js`);
  expect(await seriousViolations(page)).toEqual([]);
});

test("a monitor sees a service read-only and is refused the admin pages and routes", async ({ page, request }) => {
  await signInAs(page, "mon-svc", "mon-svc-pass-1");
  await page.goto(`/services/${CB}`);
  await expect(page.getByRole("heading", { level: 1, name: CB })).toBeVisible();
  await expect(page.getByText("Read only: only an admin changes services.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete|Pause|Resume|Duplicate/ })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, "service-readonly.png") });
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto("/services");
  await expect(page.getByRole("button", { name: "Add New Service" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Settings" })).toHaveCount(0);
  expect((await page.goto("/settings"))!.status()).toBe(403);
  const origin = new URL(page.url()).origin;
  const put = await page.request.put(`/api/console/services/${CB}`, { data: { options: { _service: "callback" } }, headers: { origin } });
  expect(put.status()).toBe(403);
  const del = await page.request.delete(`/api/console/services/${CB}`, { headers: { origin } });
  expect(del.status()).toBe(403);
  expect((await adminGet(request, CB)).status).toBe(200);
  // signed out: the service page sends to sign-in, without data
  const out = await request.get(`/services/${CB}`, { maxRedirects: 0 });
  expect(out.status()).toBe(307);
  expect(await out.text()).not.toContain("_sim_agents");
});

test("the Settings page refuses a bad value beside its field and saves a good one", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAdmin(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await page.getByLabel("_throttle_ttl_1").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("_throttle_ttl_1 must be >= 1")).toBeVisible();
  await page.getByLabel("_throttle_ttl_1").fill("");
  await page.getByLabel("completed-retention").fill("8d");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(status(page)).toHaveText("Settings saved. In effect now.");
  const saved = await (await request.get("/genesys/1/admin/settings/callback", { headers: adminAuth })).json();
  expect(saved["completed-retention"]).toBe("8d");
  expect(saved).not.toHaveProperty("_throttle_ttl_1");
  await page.screenshot({ path: path.join(SHOTS, "settings.png") });
  expect(await seriousViolations(page)).toEqual([]);
});
