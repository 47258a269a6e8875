// The Patterns, Sample and Users pages against the production build: the tester's verdict is Start-Callback's, a
// pattern added is stored and a regex RE2 refuses is shown beside its field; the Sample panel's request reaches the
// public API and its callback is then found; an admin creates a monitor, who reads configuration but may not edit
// it, nor open Sample or Users; the last-admin guard is shown.
import { test, expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import path from "node:path";
import { adminAuth, signInAs, hydrated } from "./helpers";
import { E2E_ADMIN, E2E_API } from "../playwright.config";

const SVC = "e2e-psu-svc";
const GROUP = "e2e-psu-block";
const MON = "e2e-psu-mon";
const MON_PASSWORD = "e2e-psu-mon-pass-1";
const SHOTS = path.join(__dirname, "screenshots");
const H = 3_600_000;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  const group = await request.put(`/genesys/1/admin/patterns/${GROUP}`, { data: { boston: "^\\+1617555" }, headers: adminAuth });
  expect(group.status(), await group.text()).toBe(200);
  const svc = await request.put(`/genesys/1/admin/services/${SVC}`, {
    data: {
      _service: "callback",
      _type: "builtin",
      _exceptions: GROUP,
      _enable_in_queue_checking: "false",
      _max_request_by_time_bucket: 100,
      _default_country: "US",
    },
    headers: adminAuth,
  });
  expect(svc.status(), await svc.text()).toBe(200);
});

// the service first: a group in use cannot be deleted; later specs count the configured services
test.afterAll(async ({ request }) => {
  expect((await request.delete(`/genesys/1/admin/services/${SVC}`, { headers: adminAuth })).status()).toBe(200);
  expect((await request.delete(`/genesys/1/admin/patterns/${GROUP}`, { headers: adminAuth })).status()).toBe(200);
  const mon = await request.delete(`/genesys/1/admin/users/${MON}`, { headers: adminAuth });
  expect([200, 404]).toContain(mon.status());
});

const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
const asAdmin = (page: Page) => signInAs(page, E2E_ADMIN.user, E2E_ADMIN.password);
const verdict = (page: Page) => page.getByTestId("verdict");
const patternRow = (page: Page, name: string) =>
  page
    .getByRole("table", { name: `Patterns of ${GROUP}` })
    .getByRole("row")
    .filter({ hasText: name });

test("the tester shows a number a pattern matches as refused, with that pattern highlighted, and another as allowed", async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await asAdmin(page);
  await page.goto(`/patterns?group=${GROUP}`);
  await expect(page.getByRole("heading", { level: 1, name: "Patterns" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: GROUP })).toBeVisible();
  await expect(page.getByText(`Used by service ${SVC}`)).toBeVisible();
  await expect(page.getByLabel("As Start-Callback on")).toHaveValue(SVC);

  await page.getByLabel("Customer number").fill("617 555 0100");
  await expect(verdict(page)).toContainText("Refused");
  await expect(verdict(page)).toContainText(`details={${GROUP}=boston}`);
  await expect(verdict(page)).toContainText("+16175550100");
  await expect(patternRow(page, "boston")).toHaveAttribute("data-matches", "true");
  await expect(patternRow(page, "boston")).toContainText("Matches");
  // the engine agrees: Start-Callback refuses that very number
  const start = await page.request.post(`/genesys/1/service/callback/${SVC}`, { data: { _customer_number: "617 555 0100" } });
  expect(start.status()).toBe(400);
  expect((await start.json()).message).toContain(`details={${GROUP}=boston}`);
  await page.screenshot({ path: path.join(SHOTS, "patterns.png") });
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Customer number").fill("+1 212 555 0100");
  await expect(verdict(page)).toContainText("Allowed");
  await expect(patternRow(page, "boston")).not.toHaveAttribute("data-matches", "true");
});

test("an admin adds a pattern and it is stored; a regex RE2 refuses is shown beside its field and nothing is saved", async ({ page }) => {
  await asAdmin(page);
  await page.goto(`/patterns?group=${GROUP}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Add pattern" }).click();
  let dialog = page.getByRole("dialog", { name: `Add a pattern to ${GROUP}` });
  await dialog.getByLabel("Pattern name").fill("london");
  await dialog.getByLabel("Regular expression").fill("^\\+4420");
  await dialog.getByRole("button", { name: "Add pattern" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(".toast[role=status]")).toContainText(`Pattern london added to ${GROUP}`);
  await expect(patternRow(page, "london")).toContainText("^\\+4420");
  const stored = await page.request.get(`/genesys/1/admin/patterns/${GROUP}`, { headers: adminAuth });
  expect(await stored.json()).toEqual({ boston: "^\\+1617555", london: "^\\+4420" });

  await page.getByLabel("Customer number").fill("+44 20 7946 0958");
  await expect(verdict(page)).toContainText("Refused");
  await expect(patternRow(page, "london")).toHaveAttribute("data-matches", "true");

  await page.getByRole("button", { name: "Add pattern" }).click();
  dialog = page.getByRole("dialog", { name: `Add a pattern to ${GROUP}` });
  await dialog.getByLabel("Pattern name").fill("repeat");
  const regex = dialog.getByLabel("Regular expression");
  await regex.fill("(\\d)\\1");
  await dialog.getByRole("button", { name: "Add pattern" }).click();
  await expect(dialog.locator(`#${await regex.getAttribute("id")}-error`)).toContainText("not a valid RE2 regular expression");
  await expect(regex).toHaveAttribute("aria-invalid", "true");
  await expect(regex).toHaveValue("(\\d)\\1"); // what the admin typed is kept
  await dialog.getByRole("button", { name: "Close" }).click();
  const after = await page.request.get(`/genesys/1/admin/patterns/${GROUP}`, { headers: adminAuth });
  expect(Object.keys(await after.json())).toEqual(["boston", "london"]);
});

test("the Sample panel sends Start-Callback from the browser, shows the request as curl and the response, and the callback is there", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await asAdmin(page);
  await page.goto(`/sample?service=${SVC}`);
  await expect(page.getByRole("heading", { level: 1, name: "Sample" })).toBeVisible();
  await expect(page.getByLabel("Service")).toHaveValue(SVC);

  // immediate: the id answered is found through the public query API
  await page.getByLabel("Customer number (_customer_number)").fill("+1 212 555 0123");
  await page.getByRole("button", { name: "Add a property" }).click();
  await page.getByLabel("Key 1").fill("topic");
  await page.getByLabel("Value 1").fill("billing");
  await expect(page.getByTestId("curl")).toContainText(`curl -i -X POST 'http://localhost:`);
  await expect(page.getByTestId("curl")).toContainText(`/genesys/1/service/callback/${SVC}'`);
  await expect(page.getByTestId("curl")).toContainText(`"_customer_number": "+1 212 555 0123"`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-status")).toHaveText(/^200/);
  await expect(page.getByTestId("response-body")).toContainText('"_id"');
  const nowId = JSON.parse((await page.getByTestId("response-body").textContent())!)._id as string;
  await expect(page.getByLabel("Callback id (_id)")).toHaveCount(0); // not an id operation
  const found = await page.request.get(`/genesys/1/service/callback/${SVC}/${nowId}`);
  expect(found.status()).toBe(200);
  expect((await found.json())[0]).toMatchObject({ _id: nowId, topic: "billing", _customer_number: "+12125550123" });

  // scheduled, two days ahead on the hour: found in the Callbacks panel's next 7 days
  const desired = new Date(Math.ceil((Date.now() + 48 * H) / H) * H).toISOString();
  await page.getByLabel("Operation").selectOption("start-scheduled");
  await page.getByLabel("Customer number (_customer_number)").fill("+1 212 555 0124");
  await page.getByLabel("Desired time (_desired_time)").fill(desired);
  await expect(page.getByTestId("curl")).toContainText(`"_desired_time": "${desired}"`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("region", { name: "History" }).getByRole("button")).toHaveCount(2); // both exchanges
  await expect(page.getByTestId("response-status")).toHaveText(/^200/);
  const laterId = JSON.parse((await page.getByTestId("response-body").textContent())!)._id as string;
  expect(laterId).not.toBe(nowId);
  await expect(page.getByLabel("Callback id (_id)")).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, "sample.png") });
  expect(await seriousViolations(page)).toEqual([]);

  // the id carried into an id operation
  await page.getByLabel("Operation").selectOption("query-id");
  await expect(page.getByLabel("Callback id (_id)")).toHaveValue(laterId);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-body")).toContainText(`"_callback_state": "SCHEDULED"`);

  await page.goto(`/callbacks?window=next7d&service=${SVC}`);
  const row = page.getByRole("table", { name: "Callbacks" }).locator("tbody tr.row").filter({ hasText: "0124" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("SCHEDULED");
});

async function signedInAs(browser: Browser, user: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signInAs(page, user, password);
  return page;
}

test("an admin creates a monitor on the Users page, who reads configuration only; the last-admin guard is shown", async ({
  page,
  browser,
}) => {
  // the guard needs one admin: none other may be left by another spec
  const users = (await (await page.request.get("/genesys/1/admin/users", { headers: adminAuth })).json()) as Array<{
    username: string;
    role: string;
  }>;
  expect(users.filter((u) => u.role === "admin").map((u) => u.username)).toEqual([E2E_ADMIN.user]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await asAdmin(page);
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  const adminRow = page.getByRole("table", { name: "Users" }).locator(`tr[data-user="${E2E_ADMIN.user}"]`);
  await expect(adminRow).toContainText("Last admin: cannot be demoted or deleted");
  await expect(adminRow.getByRole("button", { name: `Delete user ${E2E_ADMIN.user}` })).toBeDisabled();
  await expect(adminRow.getByLabel(`Role of ${E2E_ADMIN.user}`)).toBeDisabled();
  // and the engine says the same
  const demote = await page.request.put(`/genesys/1/admin/users/${E2E_ADMIN.user}`, { data: { role: "monitor" }, headers: adminAuth });
  expect((await demote.json()).message).toBe("The last admin cannot lose the admin role");

  await page.getByRole("button", { name: "Create user" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a user" });
  await dialog.getByLabel("User name").fill(MON);
  await dialog.getByLabel("Role").selectOption("monitor");
  await dialog.getByLabel("Password").fill("short");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog.locator("#u-password-error")).toHaveText("password: at least 8 characters");
  await dialog.getByLabel("Password").fill(MON_PASSWORD);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(".toast[role=status]")).toContainText(`User ${MON} created as monitor`);
  const monRow = page.getByRole("table", { name: "Users" }).locator(`tr[data-user="${MON}"]`);
  await expect(monRow.getByLabel(`Role of ${MON}`)).toHaveValue("monitor");
  await expect(monRow.getByRole("button", { name: `Delete user ${MON}` })).toBeEnabled();
  await page.screenshot({ path: path.join(SHOTS, "users.png") });
  expect(await seriousViolations(page)).toEqual([]);

  const mon = await signedInAs(browser, MON, MON_PASSWORD);
  const nav = mon.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Patterns", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Sample", exact: true })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
  await mon.goto(`/patterns?group=${GROUP}`);
  await expect(patternRow(mon, "boston")).toBeVisible();
  for (const control of ["New group", "Add pattern", "Delete group", "Edit pattern boston", "Delete pattern boston"])
    await expect(mon.getByRole("button", { name: control })).toHaveCount(0);
  await mon.getByLabel("Customer number").fill("617 555 0100");
  await expect(verdict(mon)).toContainText("Refused"); // the tester reads, so a monitor may use it
  const refused = await mon.request.post(`/api/console/patterns/${GROUP}`, {
    data: { name: "x", regex: "x" },
    headers: { origin: E2E_API }, // same origin: refused for the role, not as a cross-site request
  });
  expect(refused.status()).toBe(403);
  expect((await mon.goto("/sample"))?.status()).toBe(403);
  expect((await mon.goto("/users"))?.status()).toBe(403);
  await mon.context().close();
});

test("the three pages fit a phone's width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await asAdmin(page);
  for (const [name, url] of [
    ["patterns", `/patterns?group=${GROUP}`],
    ["sample", `/sample?service=${SVC}`],
    ["users", "/users"],
  ]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
    // wide tables scroll inside their own frame; the page itself never scrolls sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), name).toBeLessThanOrEqual(0);
  }
});
