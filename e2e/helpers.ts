// Shared steps of the e2e specs: admin API calls with Basic auth and a console sign-in through the form.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

export const adminAuth = { authorization: "Basic " + Buffer.from(`${E2E_ADMIN.user}:${E2E_ADMIN.password}`).toString("base64") };

export async function putUser(request: APIRequestContext, name: string, role: string, password?: string): Promise<void> {
  const r = await request.put(`/genesys/1/admin/users/${name}`, { data: password ? { password, role } : { role }, headers: adminAuth });
  expect(r.status()).toBe(200);
}

export async function signInAs(page: Page, user: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/callbacks$/);
  await hydrated(page);
}

/** After a full page load: waits until the console is hydrated, so that input is not lost to hydration. */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

export { until } from "./processes";

/** Answers counted by outcome: "200", or "<status>/<GMS code>". */
export function tally(rs: ReadonlyArray<{ status: number; json: () => Record<string, unknown> }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) {
    const k = r.status === 200 ? "200" : `${r.status}/${r.json().code}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
