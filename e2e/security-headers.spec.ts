import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("console pages send CSP (frame-ancestors 'none'), nosniff and a referrer policy, and work under that CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const signin = await page.goto("/signin");
  const h = signin!.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("object-src 'none'");
  expect(h["content-security-policy"]).toContain("base-uri 'self'");
  expect(h["content-security-policy"]).toContain("form-action 'self'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["strict-transport-security"]).toBeUndefined(); // plain http: no HSTS

  await page.getByLabel("User name").fill(E2E_ADMIN.user);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/callbacks$/);
  await expect(page.getByText(/callback\(s\) found|No callbacks found/)).toBeVisible();
  const monitor = await page.goto("/monitor");
  expect(monitor!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("list", { name: "Services" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Configured Services" }).click();
  // a client-side navigation: the Callbacks page (whose rows name services too) stays until the new page arrives
  await expect(page.getByRole("heading", { level: 1, name: "Configured Services" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "demo-immediate" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("the public API keeps no CSP or framing ban (cross-origin widgets), but nosniff; HSTS only behind TLS", async ({ request }) => {
  const ping = await request.get("/genesys/1/ping");
  expect(ping.headers()["content-security-policy"]).toBeUndefined();
  expect(ping.headers()["x-frame-options"]).toBeUndefined();
  expect(ping.headers()["x-content-type-options"]).toBe("nosniff");
  const tls = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(tls.headers()["strict-transport-security"]).toBe("max-age=31536000");
});
