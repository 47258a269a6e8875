import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("a monitor does not see admin entries in the navigation and is refused the admin-only Users page", async ({ page, request }) => {
  const auth = "Basic " + Buffer.from(`${E2E_ADMIN.user}:${E2E_ADMIN.password}`).toString("base64");
  const created = await request.put("/genesys/1/admin/users/watcher", {
    data: { password: "watcher-pass-1", role: "monitor" },
    headers: { authorization: auth },
  });
  expect(created.status()).toBe(200);

  await page.goto("/signin");
  await page.getByLabel("User name").fill("watcher");
  await page.getByLabel("Password").fill("watcher-pass-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/callbacks$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(page.getByRole("banner")).toContainText("Signed in as watcher (monitor)");
  await expect(nav.getByRole("link", { name: "Monitor", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users", exact: true })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Sample", exact: true })).toHaveCount(0);

  const users = await page.goto("/users");
  expect(users?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});
