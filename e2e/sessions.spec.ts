import { test, expect } from "@playwright/test";
import { adminAuth, putUser, signInAs } from "./helpers";

test("demoting a signed-in user takes effect on their next request; deleting them signs them out", async ({ page, request }) => {
  await putUser(request, "demoted", "supervisor", "demoted-pass-1");
  await signInAs(page, "demoted", "demoted-pass-1");
  expect((await (await page.request.get("/api/auth/session")).json()).user).toEqual({ name: "demoted", role: "supervisor" });
  // past the role check: the Sample panel is for supervisors
  expect((await page.request.get("/sample")).status()).toBe(200);

  await putUser(request, "demoted", "monitor");
  // the role change ended the old session: the cookie no longer stands for anyone
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
  expect((await page.request.get("/api/console/monitor")).status()).toBe(401);
  await signInAs(page, "demoted", "demoted-pass-1");
  expect((await (await page.request.get("/api/auth/session")).json()).user).toEqual({ name: "demoted", role: "monitor" });
  expect((await page.request.get("/sample")).status()).toBe(403);

  expect((await request.delete("/genesys/1/admin/users/demoted", { headers: adminAuth })).status()).toBe(200);
  expect((await page.request.get("/api/console/monitor")).status()).toBe(401);
  await page.goto("/monitor");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmonitor$/);
});

test("a password change ends the user's sessions", async ({ page, request }) => {
  await putUser(request, "rotated", "monitor", "rotated-pass-1");
  await signInAs(page, "rotated", "rotated-pass-1");
  expect((await page.request.get("/api/console/callbacks")).status()).toBe(200);
  await putUser(request, "rotated", "monitor", "rotated-pass-2");
  expect((await page.request.get("/api/console/callbacks")).status()).toBe(401);
});

test("signing out ends the session on the server: a copy of its cookie no longer works", async ({ page, request, playwright, baseURL }) => {
  await putUser(request, "leaver", "monitor", "leaver-pass-1");
  await signInAs(page, "leaver", "leaver-pass-1");
  const cookies = await page.context().cookies();
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: cookieHeader } });
  expect((await replay.get("/api/console/monitor")).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await replay.get("/api/console/monitor")).status()).toBe(401);
  expect(await (await replay.get("/api/auth/session")).json()).toEqual({});
  expect((await replay.get("/services", { maxRedirects: 0 })).status()).toBe(307);
  await replay.dispose();
});
