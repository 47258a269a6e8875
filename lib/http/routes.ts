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
  const publicRoute = (method: string, path: string, h: Handler) => r.add(method, path, withCors(withApiKey(withErrors(h))), "api-key");
  const SERVICE = "/genesys/1/service";
  publicRoute("POST", `${SERVICE}/callback/:service`, pub.start);
  publicRoute("GET", `${SERVICE}/callback/:service`, pub.queryService);
  publicRoute("GET", `${SERVICE}/callback`, pub.queryAll);
  publicRoute("GET", `${SERVICE}/callback/:service/availability`, pub.availability1);
  publicRoute("GET", "/genesys/2/service/callback/:service/availability", pub.availability2);
  publicRoute("GET", `${SERVICE}/callback/:service/:id`, pub.getById);
  publicRoute("PUT", `${SERVICE}/callback/:service/:id`, pub.update);
  publicRoute("DELETE", `${SERVICE}/callback/:service/:id`, pub.cancel);
  publicRoute("POST", `${SERVICE}/:name/check-queue-position`, pub.checkQueuePosition);
  publicRoute("GET", `${SERVICE}/:name/check-queue-position`, pub.checkQueuePosition);
  publicRoute("GET", `${SERVICE}/:name`, pub.helper);
  publicRoute("GET", "/genesys/1/phonenumber", pub.phone);
  r.add("GET", "/genesys/1/ping", withCors(pub.ping));
  publicRoute("POST", "/genesys/1/ping", pub.pingPost);
  // no API key: the console's reference page and API clients must be able to read how to call the API
  r.add("GET", "/genesys/openapi.json", withCors(withErrors(({ req }) => openApiResponse(r, req))));
  for (const path of r.paths()) r.add("OPTIONS", path, corsPreflight); // every public path so far, before admin
  const adminRoute = (method: string, path: string, role: Role, h: Handler) =>
    r.add(method, `/genesys/1/admin${path}`, withBasicAuth(role, h), role);
  adminRoute("GET", "/services", "monitor", adminConfig.listServices);
  adminRoute("GET", "/services/:name", "monitor", adminConfig.getService);
  adminRoute("PUT", "/services/:name", "admin", adminConfig.putService);
  adminRoute("DELETE", "/services/:name", "admin", adminConfig.deleteService);
  adminRoute("GET", "/settings/callback", "monitor", adminConfig.getSettings);
  adminRoute("PUT", "/settings/callback", "admin", adminConfig.putSettings);
  adminRoute("GET", "/patterns", "monitor", adminConfig.listPatterns);
  adminRoute("GET", "/patterns/:group", "monitor", adminConfig.getPatterns);
  adminRoute("PUT", "/patterns/:group", "admin", adminConfig.putPatterns);
  adminRoute("DELETE", "/patterns/:group", "admin", adminConfig.deletePatterns);
  adminRoute("GET", "/users", "admin", adminConfig.listUsers);
  adminRoute("PUT", "/users/:name", "admin", adminConfig.putUser);
  adminRoute("DELETE", "/users/:name", "admin", adminConfig.deleteUser);
  adminRoute("GET", "/callback/queues", "monitor", adminCb.queues);
  adminRoute("GET", "/callback/watermarks", "monitor", adminCb.watermarks);
  adminRoute("POST", "/callback/cancel", "supervisor", adminCb.bulkCancel);
  adminRoute("GET", "/callback/cancel/:operation", "supervisor", adminCb.bulkCancelSummary);
  adminRoute("POST", "/callback/reportcancelled", "supervisor", adminCb.reportCancelled);
  adminRoute("POST", "/callback/ops/delete", "admin", adminCb.opsDelete);
  return r;
}

let cached: Router | undefined;
export function router(): Router {
  return (cached ??= build());
}
