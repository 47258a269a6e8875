import { test, expect } from "@playwright/test";
import { putUser, signInAs } from "./helpers";

// Every console page, with what must never reach a signed-out visitor: service names, phone numbers, users, and
// for a service's own page (/services/demo-immediate) anything of that service beyond the name in the URL.
const PAGES = [
  "/",
  "/callbacks",
  "/services",
  "/office-hours",
  "/capacity",
  "/availability",
  "/patterns",
  "/sample",
  "/monitor",
  "/users",
  "/settings",
  "/services/demo-immediate",
  "/api-reference",
];
const DATA = [/demo-(immediate|scheduled|office-hours|capacity)/, /\+1617555/, /Signed in as/, /Configured Services/, /_sim_agents/];
const PHONE = "+16175550142";

test.beforeAll(async ({ request }) => {
  const r = await request.post("/genesys/1/service/callback/demo-immediate", { data: { _customer_number: PHONE } });
  expect(r.status()).toBe(200);
});

for (const path of PAGES) {
  test(`signed out, ${path} answers HTML and RSC requests without any data`, async ({ request }) => {
    const variants: Array<{ url: string; headers?: Record<string, string> }> = [
      { url: path },
      { url: path, headers: { RSC: "1" } },
      { url: `${path}?_rsc`, headers: { RSC: "1" } },
      { url: `${path}?_rsc=1a2b3`, headers: { RSC: "1" } },
      { url: `${path}?_rsc=1a2b3` },
      { url: path, headers: { RSC: "1", "Next-Router-Prefetch": "1" } },
    ];
    // each both as answered (a redirect's own body) and followed (Next.js moves RSC requests to a canonical ?_rsc)
    for (const v of variants)
      for (const maxRedirects of [0, 5]) {
        const r = await request.get(v.url, { headers: v.headers, maxRedirects });
        // a page of one service echoes the name it was asked for (the URL, the sign-in return address): not data
        const own = path.split("/")[2];
        const body = own ? (await r.text()).replaceAll(own, "<asked>") : await r.text();
        const what = `${v.url} ${JSON.stringify(v.headers ?? {})} maxRedirects=${maxRedirects}`;
        for (const d of DATA) expect(body, what).not.toMatch(d);
        expect(body, what).not.toContain(PHONE);
        expect(r.status(), what).toBeLessThan(500);
      }
    if (path !== "/") {
      const html = await request.get(path, { maxRedirects: 0 });
      expect(html.status()).toBe(307);
      expect(html.headers()["location"]).toBe(`/signin?callbackUrl=${encodeURIComponent(path)}`);
    }
  });
}

test("a signed-out visitor comes back to the page they asked for after signing in", async ({ page, request }) => {
  await putUser(request, "returner", "monitor", "returner-pass-1");
  await page.goto("/services");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fservices$/);
  await page.getByLabel("User name").fill("returner");
  await page.getByLabel("Password").fill("returner-pass-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.getByRole("cell", { name: "demo-immediate" })).toBeVisible();
});

test("a signed-in monitor gets 403 (page) and only the 403 UI (RSC) on admin- and supervisor-only pages", async ({ page, request }) => {
  await putUser(request, "watcher403", "monitor", "watcher403-pass");
  await signInAs(page, "watcher403", "watcher403-pass");
  for (const path of ["/users", "/sample"]) {
    const doc = await page.goto(path);
    expect(doc?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByRole("heading", { name: path === "/users" ? "Users" : "Sample" })).toHaveCount(0);
    // a client-side navigation (RSC) carries the 403 UI in its payload; its status is set before the check runs
    const rsc = await (await page.request.get(path, { headers: { RSC: "1" } })).text();
    expect(rsc).toContain("Not allowed");
    expect(rsc).not.toContain("This panel arrives");
  }
  expect((await page.request.get("/services")).status()).toBe(200);
});
