import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("an unsigned visitor is sent to sign-in, a wrong password is refused, and the admin sees the built panels in the navigation", async ({
  page,
}) => {
  await page.goto("/callbacks");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("User name").fill(E2E_ADMIN.user);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong user name or password.")).toBeVisible();

  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/callbacks$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of [
    "Callbacks",
    "Monitor",
    "Configured Services",
    "Office Hours",
    "Capacity",
    "Availability",
    "Patterns",
    "Sample",
    "Users",
    "Settings",
    "API reference",
  ])
    await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Callbacks", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveTitle("Callbacks · Callback Service");
  await expect(page.getByRole("banner")).toContainText("Signed in as admin (admin)");

  await nav.getByRole("link", { name: "Configured Services" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Configured Services" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "demo-immediate" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Configured Services" })).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveTitle("Services · Callback Service");

  // the console's own 404 for what does not exist
  const missing = await page.goto("/services/no-such-service");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});
