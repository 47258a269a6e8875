import { test, expect } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("a signed-in monitor sees a callback started over the public API in the Callbacks panel and the Monitor", async ({
  page,
  request,
}) => {
  const r = await request.post("/genesys/1/service/callback/demo-immediate", {
    data: { _customer_number: "+16175550199", customer_name: "E2E" },
  });
  expect(r.status()).toBe(200);

  await page.goto("/signin");
  await page.getByLabel("User name").fill(E2E_ADMIN.user);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/callbacks$/);
  const table = page.getByRole("table", { name: "Callbacks" });
  // numbers are written for reading; the E.164 value is the cell's title
  await expect(table.getByRole("row").filter({ hasText: "+1 617 555 0199" }).getByTitle("+16175550199")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitor" }).click();
  await expect(
    page.getByRole("table", { name: "Callbacks by state" }).getByRole("row").filter({ hasText: "demo-immediate" }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "Recent events" })).toContainText("accepted");
});

test("console JSON routes refuse a visitor without a session", async ({ request }) => {
  expect((await request.get("/api/console/monitor")).status()).toBe(401);
  expect((await request.get("/api/console/callbacks")).status()).toBe(401);
});
