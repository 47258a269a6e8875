import { describe, it, expect, afterEach } from "vitest";
import { validate, dereference, compileErrors } from "@readme/openapi-parser";
import { router } from "@/lib/http/routes";
import { Router } from "@/lib/http/router";
import { openApiDocument } from "@/lib/http/openapi";
import { CODES } from "@/lib/callback/errors";
import { call, useHttpEnv, type Server } from "./helpers";

const doc = openApiDocument(router()) as any;
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, "{$1}");

describe("OpenAPI document of /genesys", () => {
  it("describes every route of the routing table, with its method, path parameters and access", () => {
    const table = router().table();
    expect(table.length).toBeGreaterThan(40);
    for (const { method, path, access } of table) {
      const op = doc.paths[toOpenApiPath(path)]?.[method.toLowerCase()];
      expect(op, `${method} ${path}`).toBeDefined();
      const params = [...path.matchAll(/:(\w+)/g)].map(([, n]) => n);
      if (method !== "OPTIONS")
        expect(
          (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name),
          `${method} ${path}`,
        ).toEqual(params);
      if (access === "open") expect(op.security).toEqual([]);
      else if (access === "api-key") expect(op.security).toEqual([{}, { apiKey: [] }, { apiKeyQuery: [] }]);
      else {
        expect(op.security, `${method} ${path}`).toEqual([{ basicAuth: [] }]);
        expect(op["x-required-role"]).toBe(access);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "403", "429"]));
      }
    }
  });

  it("refuses to build when a route has no description, so a new route cannot go undocumented", () => {
    const r = new Router().add("GET", "/genesys/1/ping", () => new Response()).add("GET", "/genesys/1/new-thing", () => new Response());
    expect(() => openApiDocument(r)).toThrow("GET /genesys/1/new-thing is in the routing table but not described");
  });

  it("is a valid OpenAPI 3.1 document whose $refs all resolve (@readme/openapi-parser)", async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc));
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    const resolved = await dereference(structuredClone(doc));
    expect(JSON.stringify(resolved)).not.toContain('"$ref"');
    // the validator is not vacuous: a dangling $ref and a malformed operation are both refused
    const dangling = structuredClone(doc);
    dangling.paths["/genesys/1/ping"].get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/Nope" };
    expect((await validate(dangling)).valid).toBe(false);
    const malformed = structuredClone(doc);
    malformed.paths["/genesys/1/ping"].get.responses = "none";
    expect((await validate(malformed)).valid).toBe(false);
  });

  it("documents every error code of CODES with its HTTP status and phrase, and lists codes under their own status", () => {
    const codes = Object.keys(CODES).map(Number);
    expect(doc.components.schemas.GmsError.properties.code.enum).toEqual(codes);
    for (const code of codes) {
      const { status, phrase } = CODES[code as keyof typeof CODES];
      expect(doc.components.examples[`E${code}`].value).toMatchObject({ code, phrase });
      expect(doc.info.description).toContain(`| ${code} | ${status} | ${phrase} |`);
    }
    for (const [path, item] of Object.entries<any>(doc.paths))
      for (const [method, op] of Object.entries<any>(item))
        for (const [status, res] of Object.entries<any>(op.responses)) {
          const examples = res.content?.["application/json"]?.examples ?? {};
          for (const name of Object.keys(examples)) {
            const code = Number(name.slice(1)) as keyof typeof CODES;
            const ok = CODES[code].status === Number(status) || (code === 40030 && status === "404");
            expect(ok, `${method} ${path}: ${code} under ${status}`).toBe(true);
          }
        }
    const start = doc.paths["/genesys/1/service/callback/{service}"].post;
    expect(Object.keys(start.responses["400"].content["application/json"].examples)).toEqual(
      expect.arrayContaining(["E40010", "E40040", "E40050", "E40051"]),
    );
    expect(Object.keys(start.responses["429"].content["application/json"].examples)).toEqual(["E40001", "E40002", "E40003", "E40004"]);
  });

  it("describes service options from the option definitions and admin bodies from the handlers' zod schemas", () => {
    const s = doc.components.schemas;
    expect(s.CallbackServiceOptions.properties._request_time_bucket).toMatchObject({ default: 5 });
    expect(s.OfficeHoursServiceOptions.required).toEqual(["_service", "_timezone"]);
    expect(Object.keys(s.OfficeHoursServiceOptions.patternProperties)).toContain("^_bh_regular\\d*$");
    expect(s.UserRequest.properties.role.enum).toEqual(["monitor", "supervisor", "admin"]);
    expect(Object.keys(s.BulkCancelRequest.properties)).toEqual(["reason", "ids", "filter", "wait"]);
    expect(s.StartCallbackRequest.additionalProperties).toEqual({ type: "string" });
  });
});

describe("GET /genesys/openapi.json", () => {
  let srv: Server;
  useHttpEnv((_e, s) => (srv = s));
  afterEach(() => {
    delete process.env.API_KEYS;
    delete process.env.CORS_ORIGINS;
  });

  it("answers the document as cacheable JSON, 304 on a matching If-None-Match, even when API_KEYS is set", async () => {
    process.env.API_KEYS = "k1";
    const r = await call(srv.url, "GET", "/genesys/openapi.json");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("cache-control")).toBe("public, max-age=600");
    expect(r.json).toEqual(doc);
    const again = await call(srv.url, "GET", "/genesys/openapi.json", undefined, { "if-none-match": r.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });

  it("grants CORS to listed origins like the other public routes, preflight included", async () => {
    process.env.CORS_ORIGINS = "https://shop.example.com";
    const r = await call(srv.url, "GET", "/genesys/openapi.json", undefined, { origin: "https://shop.example.com" });
    expect(r.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const p = await call(srv.url, "OPTIONS", "/genesys/openapi.json", undefined, { origin: "https://shop.example.com" });
    expect(p.status).toBe(204);
    expect(p.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
  });
});
