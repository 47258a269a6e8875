import fs from "node:fs";
import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";
import { signInAs } from "./helpers";

test("GET /genesys/openapi.json answers the OpenAPI 3.1 document as JSON, without credentials", async ({ request }) => {
  const r = await request.get("/genesys/openapi.json");
  expect(r.status()).toBe(200);
  expect(r.headers()["content-type"]).toMatch(/^application\/json/);
  const doc = await r.json();
  expect(doc.openapi).toMatch(/^3\.1\./);
  expect(doc.paths["/genesys/1/service/callback/{service}"].post.summary).toBe("Start-Callback");
});

test("signed in, /api-reference renders the document from our own origin, under the console CSP, and tries a request", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (m) => {
    const url = m.location().url;
    if (url.endsWith("/favicon.ico")) return; // the console has no icon: the browser's own request, not the page's
    if (m.type() === "error" || /Content Security Policy|Refused to/i.test(m.text())) problems.push(`${m.type()}: ${m.text()} ${url}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (!/^(https?:\/\/localhost:\d+\/|data:|blob:)/.test(r.url())) foreign.push(r.url());
  });

  await signInAs(page, E2E_ADMIN.user, E2E_ADMIN.password);
  const res = await page.goto("/api-reference");
  expect(res!.headers()["content-security-policy"]).toContain("script-src 'self' 'unsafe-inline'");
  const ref = page.getByTestId("api-reference");
  await expect(ref.getByRole("heading", { name: "Callback Service API" })).toBeVisible({ timeout: 20_000 });
  fs.mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/api-reference-intro.png" });
  // operations render as they scroll into view: go to Start-Callback through the reference's own sidebar
  await ref.getByRole("link", { name: /^Start-Callback HTTP Method: POST/ }).click();
  const start = ref.getByRole("heading", { name: "Start-Callback", exact: true });
  await expect(start).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: "e2e/screenshots/api-reference.png" });

  // "try it": GET /genesys/1/ping from the page, straight to this server
  await ref.getByRole("button", { name: /Open Group - Service/ }).click();
  await ref.getByRole("link", { name: /^Ping HTTP Method: GET/ }).click();
  await ref.getByRole("button", { name: "Test Request (get /genesys/1/ping)" }).click();
  const pinged = page.waitForResponse((r) => r.url().endsWith("/genesys/1/ping") && r.request().method() === "GET");
  await page.getByRole("button", { name: /^Send/ }).first().click();
  expect((await pinged).status()).toBe(200);
  await page.screenshot({ path: "e2e/screenshots/api-reference-try.png" });
  expect(problems).toEqual([]);
  expect(foreign).toEqual([]);
});
