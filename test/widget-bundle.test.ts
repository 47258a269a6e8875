// The committed widget scripts: up to date with widgets/src, within their size budgets, and working as shipped
// (the built callback-service.js run in a bare window-like context against the real router).
import { describe, it, expect } from "vitest";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { buildWidgets, OUT_DIR, WIDGETS } from "../widgets/build";
import { basic, call, useHttpEnv, type Server } from "./helpers";

let srv: Server;
useHttpEnv((_e, s) => (srv = s), { users: true });

describe("built widget scripts", () => {
  it("public/widgets/*.js are what widgets/src builds to (run npm run build:widgets after changing the sources)", async () => {
    for (const b of await buildWidgets()) expect(fs.readFileSync(path.join(OUT_DIR, b.file), "utf8"), b.file).toBe(b.code);
  });

  it("stay within their budgets: callback-service.js < 15 KB minified and < 6 KB gzipped, callback-form.js < 24 KB and < 10 KB", async () => {
    const built = await buildWidgets();
    for (const w of WIDGETS) {
      const b = built.find((x) => x.file === w.file)!;
      expect(b.minBytes, `${w.file} minified`).toBeLessThan(w.maxMin);
      expect(b.gzipBytes, `${w.file} gzipped`).toBeLessThan(w.maxGzip);
    }
    expect(WIDGETS[0]).toMatchObject({ file: "callback-service.js", maxMin: 15 * 1024, maxGzip: 6 * 1024 });
  });

  it("callback-service.js reads window._genesys.widgets.callback, exposes the bus (and CXBus) and schedules through it", async () => {
    expect(
      (await call(srv.url, "PUT", "/genesys/1/admin/services/w-built", { _service: "callback" }, { authorization: basic("admin") })).status,
    ).toBe(200);
    const win: Record<string, any> = { fetch, AbortController, setTimeout, clearTimeout, console, URLSearchParams };
    win.window = win;
    win._genesys = { widgets: { callback: { dataURL: `${srv.url}/genesys/1/service/callback/w-built`, userData: { source: "site" } } } };
    vm.runInNewContext(fs.readFileSync(path.join(OUT_DIR, "callback-service.js"), "utf8"), win);
    const bus = win._genesys.widgets.bus;
    expect(win.CXBus).toBe(bus);
    const ready: unknown[] = [];
    bus.subscribe("CallbackService.ready", (e: unknown) => ready.push(e));
    expect(ready).toHaveLength(1);
    const r = await bus.registerPlugin("Site").command("CallbackService.schedule", { phonenumber: "+16175550130", firstname: "Ann" });
    const [rec] = (await call(srv.url, "GET", `/genesys/1/service/callback/w-built/${r._id}`)).json;
    expect(rec).toMatchObject({ _customer_number: "+16175550130", firstname: "Ann", source: "site" });
    await expect(bus.command("CallbackService.schedule")).rejects.toBe("No data found to schedule callback");
    // a second copy of the script (or the form script) reuses the bus and does not install CallbackService twice
    vm.runInNewContext(fs.readFileSync(path.join(OUT_DIR, "callback-service.js"), "utf8"), win);
    expect(win._genesys.widgets.bus).toBe(bus);
  });
});
