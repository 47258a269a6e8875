import { test, expect } from "@playwright/test";
import http from "node:http";
import { putUser } from "./helpers";

test("the sign-in form locks after 5 wrong passwords: 429, Retry-After, and the page says how long to wait", async ({ page, request }) => {
  await putUser(request, "locky", "monitor", "locky-pass-1");
  // a client address of its own, so this test's failures do not count against the other specs (all on localhost)
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "10.99.0.1" });
  await page.goto("/signin");
  await page.getByLabel("User name").fill("locky");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong user name or password.");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("locky-pass-1");
  const answer = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  const r = await answer;
  expect(r.status()).toBe(429);
  expect(r.headers()["retry-after"]).toBe("60");
  await expect(page.locator("form").getByRole("alert")).toHaveText("Too many attempts, try again in 60 s.");
  await expect(page).toHaveURL(/\/signin/);
});

test("the admin API answers 429 with a GMS-shaped body once a user is locked out", async ({ request }) => {
  await putUser(request, "basiclock", "monitor", "basiclock-pass");
  const headers = (pw: string) => ({
    authorization: "Basic " + Buffer.from(`basiclock:${pw}`).toString("base64"),
    "x-forwarded-for": "10.99.0.2",
  });
  for (let i = 0; i < 5; i++) expect((await request.get("/genesys/1/admin/services", { headers: headers(`bad-${i}`) })).status()).toBe(401);
  const r = await request.get("/genesys/1/admin/services", { headers: headers("basiclock-pass") });
  expect(r.status()).toBe(429);
  expect(r.headers()["retry-after"]).toBe("60");
  expect(await r.json()).toMatchObject({ code: 429, phrase: "TOO_MANY_REQUESTS" });
});

test("next-auth routes refuse bodies over 1 MiB with 413, declared or streamed", async ({ request, baseURL }) => {
  const declared = await request.post("/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "username=a&password=" + "x".repeat(2 * 1024 * 1024),
  });
  expect(declared.status()).toBe(413);
  expect(await declared.json()).toMatchObject({ code: 413, phrase: "PAYLOAD_TOO_LARGE" });

  // chunked, no content-length: 4 MiB in 64 KiB pieces
  const status = await new Promise<number>((resolve, reject) => {
    const options = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } };
    const req = http.request(new URL("/api/auth/signout", baseURL), options, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // the server may stop reading once it has refused the body
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent < 64) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  expect(status).toBe(413);
});
