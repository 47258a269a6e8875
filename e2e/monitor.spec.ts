import fs from "node:fs";
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { adminAuth, putUser, signInAs } from "./helpers";

const SERVICES = "/genesys/1/admin/services";

test("a supervisor sees every configured service as a card with its counts on one screen, and narrows them with the filter", async ({
  page,
  request,
}) => {
  await putUser(request, "sue", "supervisor", "sue-pass-12345");
  // 20 callback services in all (the two demo ones + 18), and one deleted service whose callbacks remain
  for (let i = 1; i <= 18; i++) {
    const r = await request.put(`${SERVICES}/team-${String(i).padStart(2, "0")}`, {
      data: { _service: "callback", _enable_in_queue_checking: "false" },
      headers: adminAuth,
    });
    expect(r.status()).toBe(200);
  }
  await request.put(`${SERVICES}/retired`, { data: { _service: "callback" }, headers: adminAuth });
  const later = new Date(Date.now() + 3 * 3600_000).toISOString();
  expect(
    (
      await request.post("/genesys/1/service/callback/retired", { data: { _customer_number: "+16175550142", _desired_time: later } })
    ).status(),
  ).toBe(200);
  expect((await request.delete(`${SERVICES}/retired`, { headers: adminAuth })).status()).toBe(200);
  const r = await request.post("/genesys/1/service/callback/demo-immediate", {
    data: { _customer_number: "+16175550199", customer_name: "E2E" },
  });
  expect(r.status()).toBe(200);

  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "sue", "sue-pass-12345");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitor" }).click();
  await expect(page).toHaveTitle("Monitor · Callback Service");
  await expect(page.getByRole("heading", { level: 1, name: "Monitor" })).toBeVisible();

  const cards = page.getByRole("list", { name: "Services" }).getByRole("listitem");
  await expect(cards).toHaveCount(21);
  const immediate = cards.filter({ has: page.getByRole("heading", { name: "demo-immediate", exact: true }) });
  await expect(immediate).toContainText("Queued");
  await expect(immediate).toContainText(/In execution \d+/);
  // "retired", and the services the specs before this one deleted once done (their callbacks stay)
  await expect(cards.last()).toContainText(/Deleted services \(\d+\)/);
  await expect(page.getByText("Showing 20 of 20 services")).toBeVisible();
  await expect(page.getByRole("table", { name: "Recent events" })).toContainText("accepted");

  // 20 services fit one 1280×800 screen
  const box = await cards.nth(19).boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(800);

  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/monitor.png" });
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  await page.getByLabel("Filter services").fill("sched");
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText("demo-scheduled");
  await expect(page.getByText("Showing 1 of 20 services")).toBeVisible();
  await expect(page).toHaveURL(/\/monitor\?q=sched$/);
  await page.getByLabel("Filter services").fill("no-such-service");
  await expect(page.getByText("No service matches “no-such-service”.")).toBeVisible();
  await page.getByRole("button", { name: "Clear the filter" }).click();
  await expect(cards).toHaveCount(21);
});

test("a monitor watches the Monitor but is refused every console action with 403", async ({ page, request, baseURL }) => {
  await putUser(request, "mona", "monitor", "mona-pass-12345");
  await signInAs(page, "mona", "mona-pass-12345");
  await page.goto("/monitor");
  await expect(page.getByRole("list", { name: "Services" }).getByRole("listitem").first()).toBeVisible();
  const headers = { origin: baseURL! };
  const posts: Array<[string, unknown]> = [
    ["/api/console/callbacks/create", { service: "demo-immediate", customerNumber: "+16175550100" }],
    ["/api/console/bulk-cancel", { ids: ["x"] }],
    ["/api/console/callbacks/x/cancel", {}],
  ];
  for (const [path, data] of posts) {
    const res = await page.request.post(path, { data, headers });
    expect(res.status()).toBe(403);
    expect((await res.json()).phrase).toBe("FORBIDDEN");
  }
  expect((await page.request.get("/api/console/export/view?window=today")).status()).toBe(403);
  expect((await page.request.get("/api/console/monitor")).status()).toBe(200);
});

test("console JSON routes refuse a visitor without a session", async ({ request }) => {
  expect((await request.get("/api/console/monitor")).status()).toBe(401);
  expect((await request.get("/api/console/callbacks")).status()).toBe(401);
  expect((await request.get("/api/console/availability?service=demo-scheduled&date=2026-06-01")).status()).toBe(401);
});
