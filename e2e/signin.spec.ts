import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("an unsigned visitor is sent to sign-in, a wrong password is refused, and the admin sees the navigation", async ({ page }) => {
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
    "Configured Services",
    "Office Hours",
    "Capacity",
    "Availability",
    "Patterns",
    "Sample",
    "Monitor",
    "Users",
  ])
    await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
  await expect(nav).toContainText("Signed in as admin (admin)");

  await nav.getByRole("link", { name: "Configured Services" }).click();
  await expect(page.getByRole("cell", { name: "demo-immediate" })).toBeVisible();
});
