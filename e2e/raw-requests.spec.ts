// What only the production server shows: Next.js itself decodes paths and builds a fetch Request before our
// router runs. Raw node:http requests, so neither the path nor the method is normalised on the way.
import { test, expect } from "@playwright/test";
import http from "node:http";
import { E2E_ADMIN } from "../playwright.config";

const PORT = Number(process.env.E2E_PORT || 3100);
const AUTH = "Basic " + Buffer.from(`${E2E_ADMIN.user}:${E2E_ADMIN.password}`).toString("base64");

function raw(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "localhost", port: PORT, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("paths with malformed percent-encoding answer 400 40010 with the GMS error body, public and admin", async () => {
  const paths = [
    "/genesys/1/service/callback/%E0%A4%A",
    "/genesys/%zz",
    "/genesys/1/service/callback/%FF%FE",
    "/genesys/1/admin/services/%E0%A4%A",
    "/genesys/1/admin/callback/%zz",
  ];
  for (const p of paths) {
    const r = await raw("GET", p, { authorization: AUTH });
    expect(r.status, `${p} → ${r.body}`).toBe(400);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({
      code: 40010,
      phrase: "BAD_PARAMETER",
      message: "Malformed URL: invalid percent-encoding in the path",
      exception: "com.genesyslab.gsg.services.callback.CallbackException",
    });
  }
  expect((await raw("GET", "/genesys/1/ping")).status).toBe(200); // well-formed paths pass the proxy untouched
});

test("TRACE, PROPFIND and a method the route lacks answer 405 with Allow and a JSON body", async () => {
  for (const m of ["TRACE", "PROPFIND", "PATCH"]) {
    const r = await raw(m, "/genesys/1/admin/services/x", { authorization: AUTH });
    expect(r.status, `${m} → ${r.body}`).toBe(405);
    expect(r.headers.allow).toBe("GET, PUT, DELETE, HEAD");
    expect(JSON.parse(r.body)).toMatchObject({ code: 405, phrase: "METHOD_NOT_ALLOWED" });
  }
  const page = await raw("TRACE", "/signin");
  expect(page.status).toBe(405);
  expect(page.headers.allow).toBe("GET, HEAD, POST");
});

test("the console callbacks list refuses a non-integer or out-of-range page with 400 and a JSON body", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("User name").fill(E2E_ADMIN.user);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  for (const p of ["1.5", "0", "1000001", "x", "-1"]) {
    const r = await page.request.get(`/api/console/callbacks?page=${p}`);
    expect(r.status(), p).toBe(400);
    expect(await r.json()).toMatchObject({ code: 40010, message: expect.stringContaining("page") });
  }
  expect((await page.request.get("/api/console/callbacks?page=2")).status()).toBe(200);
  expect((await page.request.get("/api/console/callbacks/no-such-callback")).status()).toBe(404);
});
