// The routing table of /genesys (exact GMS URLs). Public routes are open like GMS (and to the CORS_ORIGINS
// browsers, preflight included); admin routes need Basic auth and answer no CORS, so OPTIONS there is a 405.
// Each route records its access next to its wrapper, so the OpenAPI document (lib/http/openapi.ts) cannot disagree.
import { Router, type Handler } from "./router";
import { withBasicAuth, withErrors, withApiKey, withCors, corsPreflight } from "./wrappers";
import { openApiResponse } from "./openapi";
import type { Role } from "../auth/users";
import * as pub from "./handlers/public";
import * as adminConfig from "./handlers/admin-config";
import * as adminCb from "./handlers/admin-callback";

function build(): Router {
  const r = new Router();
  const E = (method: string, path: string, h: Handler) => r.add(method, path, withCors(withApiKey(withErrors(h))), "api-key");
  const S = "/genesys/1/service";
  E("POST", `${S}/callback/:service`, pub.start);
  E("GET", `${S}/callback/:service`, pub.queryService);
  E("GET", `${S}/callback`, pub.queryAll);
  E("GET", `${S}/callback/:service/availability`, pub.availability1);
  E("GET", "/genesys/2/service/callback/:service/availability", pub.availability2);
  E("GET", `${S}/callback/:service/:id`, pub.getById);
  E("PUT", `${S}/callback/:service/:id`, pub.update);
  E("DELETE", `${S}/callback/:service/:id`, pub.cancel);
  E("POST", `${S}/:name/check-queue-position`, pub.checkQueuePosition);
  E("GET", `${S}/:name/check-queue-position`, pub.checkQueuePosition);
  E("GET", `${S}/:name`, pub.helper);
  E("GET", "/genesys/1/phonenumber", pub.phone);
  r.add("GET", "/genesys/1/ping", withCors(pub.ping));
  E("POST", "/genesys/1/ping", pub.pingPost);
  // no API key: the console's reference page and API clients must be able to read how to call the API
  r.add("GET", "/genesys/openapi.json", withCors(withErrors(({ req }) => openApiResponse(r, req))));
  for (const path of r.paths()) r.add("OPTIONS", path, corsPreflight); // every public path so far, before admin
  const A = (method: string, path: string, role: Role, h: Handler) =>
    r.add(method, `/genesys/1/admin${path}`, withBasicAuth(role, h), role);
  A("GET", "/services", "monitor", adminConfig.listServices);
  A("GET", "/services/:name", "monitor", adminConfig.getService);
  A("PUT", "/services/:name", "admin", adminConfig.putService);
  A("DELETE", "/services/:name", "admin", adminConfig.deleteService);
  A("GET", "/settings/callback", "monitor", adminConfig.getSettings);
  A("PUT", "/settings/callback", "admin", adminConfig.putSettings);
  A("GET", "/patterns", "monitor", adminConfig.listPatterns);
  A("GET", "/patterns/:group", "monitor", adminConfig.getPatterns);
  A("PUT", "/patterns/:group", "admin", adminConfig.putPatterns);
  A("DELETE", "/patterns/:group", "admin", adminConfig.deletePatterns);
  A("GET", "/users", "admin", adminConfig.listUsers);
  A("PUT", "/users/:name", "admin", adminConfig.putUser);
  A("DELETE", "/users/:name", "admin", adminConfig.deleteUser);
  A("GET", "/callback/queues", "monitor", adminCb.queues);
  A("GET", "/callback/watermarks", "monitor", adminCb.watermarks);
  A("POST", "/callback/cancel", "supervisor", adminCb.bulkCancel);
  A("GET", "/callback/cancel/:operation", "supervisor", adminCb.bulkCancelSummary);
  A("POST", "/callback/reportcancelled", "supervisor", adminCb.reportCancelled);
  A("POST", "/callback/ops/delete", "admin", adminCb.opsDelete);
  return r;
}

let cached: Router | undefined;
export function router(): Router {
  return (cached ??= build());
}
