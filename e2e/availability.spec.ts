// The Availability heatmap as a monitor uses it: cells reflect bookings and capacity (tooltip on hover and on
// keyboard focus), closed buckets look different, an admin's capacity change shows without a reload, the table
// view says the same, and the page is measured (data answer, first paint, hover latency).
import fs from "node:fs";
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DateTime } from "luxon";
import { adminAuth, putUser, signInAs } from "./helpers";

test.describe.configure({ mode: "serial" });

const SERVICES = "/genesys/1/admin/services";
const tag = Date.now().toString(36);
const OH = `e2e-hm-oh-${tag}`;
const SVC = `e2e-hm-${tag}`;
const DENSE = `e2e-hm-dense-${tag}`;
const OFFICE = "Europe/Paris";
// two days ahead in the office zone: every bucket of that day is in the future whatever the time of day
const day = DateTime.now().setZone(OFFICE).plus({ days: 2 }).startOf("day");
const at = (hour: number, minute = 0) => day.set({ hour, minute }).toUTC().toISO()!;
const service = (max: number) => ({
  _service: "callback",
  _business_hours_service: OH,
  _request_time_bucket: 15,
  _max_request_by_time_bucket: max,
  _enable_in_queue_checking: "false",
});

test.beforeAll(async ({ request }) => {
  await putUser(request, "mona-hm", "monitor", "mona-hm-pass-1");
  const put = async (name: string, data: Record<string, unknown>) =>
    expect((await request.put(`${SERVICES}/${name}`, { data, headers: adminAuth })).status()).toBe(200);
  await put(OH, { _service: "office-hours", _timezone: OFFICE, _bh_regular1: "Mon-Sun 8:00-20:00" });
  await put(SVC, service(4));
  await put(DENSE, { _service: "callback", _request_time_bucket: 5, _max_request_by_time_bucket: 3, _enable_in_queue_checking: "false" });
  let n = 0;
  const book = async (iso: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const r = await request.post(`/genesys/1/service/callback/${SVC}`, {
        data: { _customer_number: `+3314${String(7000000 + n++)}`, _desired_time: iso },
      });
      expect(r.status()).toBe(200);
    }
  };
  await book(at(10, 5), 3); // 10:00 bucket: 3 of 4
  await book(at(11, 20), 4); // 11:15 bucket: full
  await book(at(14, 40), 1);
});

test.afterAll(async ({ request }) => {
  for (const s of [SVC, DENSE, OH]) expect((await request.delete(`${SERVICES}/${s}`, { headers: adminAuth })).status()).toBe(200);
});

/** Page coordinates of the centre of the bucket at local hh:mm on the first row (15-minute buckets, 96 a day). */
async function cellPoint(page: Page, hour: number, minute: number) {
  const box = (await page.getByTestId("heatmap").locator("canvas").boundingBox())!;
  const cw = (box.width - 92) / 96;
  return { x: box.x + 92 + (hour * 4 + minute / 15 + 0.5) * cw, y: box.y + 22 + 8 };
}

async function hover(page: Page, hour: number, minute: number) {
  const p = await cellPoint(page, hour, minute);
  await page.mouse.move(p.x, p.y);
}

/** The canvas pixel at a page point, as [r, g, b]. */
async function pixel(page: Page, p: { x: number; y: number }) {
  return page
    .getByTestId("heatmap")
    .locator("canvas")
    .evaluate((c: HTMLCanvasElement, { x, y }) => {
      const b = c.getBoundingClientRect();
      const dpr = c.width / b.width;
      const d = c.getContext("2d")!.getImageData(Math.round((x - b.left) * dpr), Math.round((y - b.top) * dpr), 1, 1).data;
      return [d[0], d[1], d[2]];
    }, p);
}

const view = `/availability?service=${SVC}&start=${day.toISODate()}&days=7&zone=office`;

test("cells show bookings and capacity on hover and on keyboard focus; closed buckets look different", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "mona-hm", "mona-hm-pass-1");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Availability" }).click();
  await expect(page).toHaveTitle("Availability · Callback Service");
  await page.goto(view);
  await expect(page.getByTestId("zones")).toContainText(`Office zone ${OFFICE}`);
  const heat = page.getByTestId("heatmap");
  await expect(heat).toBeVisible();
  await page.waitForFunction(() => performance.getEntriesByName("heatmap-drawn").length > 0);
  const tooltip = page.getByTestId("heatmap-tooltip");

  await hover(page, 10, 0);
  await expect(tooltip).toContainText(/10:00–10:15 GMT\+1|10:00–10:15 CET|10:00–10:15 CEST/);
  await expect(tooltip).toContainText(/Status\s*Open\s*Capacity\s*4\s*Booked\s*3\s*Remaining\s*1/);
  await hover(page, 11, 15);
  await expect(tooltip).toContainText(/Status\s*Full\s*Capacity\s*4\s*Booked\s*4\s*Remaining\s*0/);
  const closedPoint = await cellPoint(page, 3, 0);
  await page.mouse.move(closedPoint.x, closedPoint.y);
  await expect(tooltip).toContainText(/Status\s*Closed\s*Capacity\s*0/);

  // closed: a light grey hatch; free: a light blue; 1 of 4 left: a dark blue — three different looks
  const closed = await pixel(page, closedPoint);
  const free = await pixel(page, await cellPoint(page, 9, 0));
  const busy = await pixel(page, await cellPoint(page, 10, 0));
  expect(Math.max(...closed) - Math.min(...closed)).toBeLessThan(30); // grey
  expect(free[2] - free[0]).toBeGreaterThan(5); // bluish
  expect(busy[0] + busy[1] + busy[2]).toBeLessThan(free[0] + free[1] + free[2] - 150); // darker

  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await hover(page, 10, 0);
  await page.screenshot({ path: "e2e/screenshots/availability.png" });
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // keyboard: focus lands on the day's first open bucket (08:00); right arrows walk the buckets
  await page.mouse.move(0, 0);
  await heat.focus();
  await expect(tooltip).toContainText("08:00–08:15");
  for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
  await expect(tooltip).toContainText("10:00–10:15");
  await expect(tooltip).toContainText(/Booked\s*3\s*Remaining\s*1/);
  await expect(heat.locator("[aria-live=polite]")).toContainText("capacity 4, booked 3, remaining 1");
  await page.keyboard.press("ArrowDown");
  await expect(tooltip).toContainText(day.plus({ days: 1 }).toFormat("d LLL") + ", 10:00–10:15");
  await expect(tooltip).toContainText(/Booked\s*0\s*Remaining\s*4/);
});

test("an admin's capacity change shows without a reload, and the table view says the same", async ({ page, request }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "mona-hm", "mona-hm-pass-1");
  await page.goto(view);
  const heat = page.getByTestId("heatmap");
  await heat.focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
  const tooltip = page.getByTestId("heatmap-tooltip");
  await expect(tooltip).toContainText(/Capacity\s*4\s*Booked\s*3/);
  const busyBefore = await pixel(page, await cellPoint(page, 10, 0));

  expect((await request.put(`${SERVICES}/${SVC}`, { data: service(6), headers: adminAuth })).status()).toBe(200);
  // the 10 s refresh: no reload, the same focused cell now says 6
  await expect(tooltip).toContainText(/Capacity\s*6\s*Booked\s*3\s*Remaining\s*3/, { timeout: 25_000 });
  await expect.poll(async () => (await pixel(page, await cellPoint(page, 10, 0))).join(), { timeout: 5_000 }).not.toBe(busyBefore.join());

  await page.getByRole("button", { name: "Show as table" }).click();
  const table = page.getByTestId("heatmap-table");
  await expect(table).toContainText(`${day.toFormat("ccc d LLL")} (${OFFICE})`);
  const row = (hhmm: string) => table.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: new RegExp(`, ${hhmm}–`) }) });
  await expect(row("10:00")).toContainText(/Open\s*6\s*3\s*3/);
  await expect(row("11:15")).toContainText(/Open\s*6\s*4\s*2/);
  await expect(row("03:00")).toContainText(/Closed\s*0\s*0\s*0/);
  await expect(table.locator("tbody tr")).toHaveCount((day.plus({ days: 1 }).toMillis() - day.toMillis()) / 900_000);
  await page.getByRole("button", { name: "Next day" }).click();
  await expect(row("10:00")).toContainText(/Open\s*6\s*0\s*6/);
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("30 days of 5-minute buckets: data answer time, first paint and hover latency (figures in the output)", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, "mona-hm", "mona-hm-pass-1");
  const start = DateTime.now().setZone("UTC").toISODate();
  const api = `/api/console/heatmap?service=${DENSE}&start=${start}&days=30`;
  const answers: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await page.request.get(api);
    expect(r.status()).toBe(200);
    const body = await r.json();
    answers.push(performance.now() - t0);
    expect(body.start).toHaveLength(8640);
  }
  await page.goto(`/availability?service=${DENSE}&start=${start}&days=30&zone=office`);
  await page.waitForFunction(() => performance.getEntriesByName("heatmap-drawn").length > 0);
  const firstPaint = await page.evaluate(() => performance.getEntriesByName("heatmap-drawn")[0].startTime);
  // pointer moves across one row of cells: time until the tooltip shows the new cell, and until the next frame
  const hover = await page
    .getByTestId("heatmap")
    .locator("canvas")
    .evaluate(async (c: HTMLCanvasElement) => {
      const b = c.getBoundingClientRect();
      const cw = (b.width - 92) / 288;
      const dom: number[] = [];
      const frame: number[] = [];
      for (let k = 0; k < 60; k++) {
        const x = b.left + 92 + (k * 4 + 0.5) * cw;
        const y = b.top + 22 + 8 + (k % 20) * 18; // rows of 16 px and a 2 px gap for 30 days
        const before = document.querySelector("[data-testid=heatmap-tooltip]")?.textContent ?? "";
        const t0 = performance.now();
        c.dispatchEvent(new PointerEvent("pointermove", { clientX: x, clientY: y, bubbles: true }));
        await new Promise<void>((resolve) => {
          const check = () => {
            if ((document.querySelector("[data-testid=heatmap-tooltip]")?.textContent ?? "") !== before) resolve();
            else setTimeout(check, 0);
          };
          check();
        });
        dom.push(performance.now() - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        frame.push(performance.now() - t0);
      }
      const med = (a: number[]) => a.sort((p, q) => p - q)[Math.floor(a.length / 2)];
      return { tooltipMs: med(dom), nextFrameMs: med(frame), maxTooltipMs: Math.max(...dom) };
    });
  answers.sort((a, b) => a - b);
  const figures = { cells: 8640, dataAnswerMedianMs: +answers[5].toFixed(1), firstPaintMs: +firstPaint.toFixed(0), hover };
  console.log("heatmap figures", JSON.stringify(figures));
  test.info().annotations.push({ type: "figures", description: JSON.stringify(figures) });
  expect(hover.tooltipMs).toBeLessThan(100);
});
