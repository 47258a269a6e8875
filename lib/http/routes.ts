// The routing table of /genesys (exact GMS URLs). Public routes are open like GMS (and to the CORS_ORIGINS
// browsers, preflight included); admin routes need Basic auth and answer no CORS, so OPTIONS there is a 405.
import { Router, type Handler } from "./router";
import { withBasicAuth, withErrors, withApiKey, withCors, corsPreflight } from "./wrappers";
import * as pub from "./handlers/public";
import * as adminConfig from "./handlers/admin-config";
import * as adminCb from "./handlers/admin-callback";

function build(): Router {
  const r = new Router();
  const E = (h: Handler) => withCors(withApiKey(withErrors(h))); // public routes
  const S = "/genesys/1/service";
  r.add("POST", `${S}/callback/:service`, E(pub.start))
    .add("GET", `${S}/callback/:service`, E(pub.queryService))
    .add("GET", `${S}/callback`, E(pub.queryAll))
    .add("GET", `${S}/callback/:service/availability`, E(pub.availability1))
    .add("GET", "/genesys/2/service/callback/:service/availability", E(pub.availability2))
    .add("GET", `${S}/callback/:service/:id`, E(pub.getById))
    .add("PUT", `${S}/callback/:service/:id`, E(pub.update))
    .add("DELETE", `${S}/callback/:service/:id`, E(pub.cancel))
    .add("POST", `${S}/:name/check-queue-position`, E(pub.checkQueuePosition))
    .add("GET", `${S}/:name/check-queue-position`, E(pub.checkQueuePosition))
    .add("GET", `${S}/:name`, E(pub.helper))
    .add("GET", "/genesys/1/phonenumber", E(pub.phone))
    .add("GET", "/genesys/1/ping", withCors(pub.ping))
    .add("POST", "/genesys/1/ping", E(pub.pingPost));
  for (const path of r.paths()) r.add("OPTIONS", path, corsPreflight); // every public path so far, before admin
  const A = "/genesys/1/admin";
  r.add("GET", `${A}/services`, withBasicAuth("monitor", adminConfig.listServices))
    .add("GET", `${A}/services/:name`, withBasicAuth("monitor", adminConfig.getService))
    .add("PUT", `${A}/services/:name`, withBasicAuth("admin", adminConfig.putService))
    .add("DELETE", `${A}/services/:name`, withBasicAuth("admin", adminConfig.deleteService))
    .add("GET", `${A}/settings/callback`, withBasicAuth("monitor", adminConfig.getSettings))
    .add("PUT", `${A}/settings/callback`, withBasicAuth("admin", adminConfig.putSettings))
    .add("GET", `${A}/patterns`, withBasicAuth("monitor", adminConfig.listPatterns))
    .add("GET", `${A}/patterns/:group`, withBasicAuth("monitor", adminConfig.getPatterns))
    .add("PUT", `${A}/patterns/:group`, withBasicAuth("admin", adminConfig.putPatterns))
    .add("DELETE", `${A}/patterns/:group`, withBasicAuth("admin", adminConfig.deletePatterns))
    .add("GET", `${A}/users`, withBasicAuth("admin", adminConfig.listUsers))
    .add("PUT", `${A}/users/:name`, withBasicAuth("admin", adminConfig.putUser))
    .add("DELETE", `${A}/users/:name`, withBasicAuth("admin", adminConfig.deleteUser))
    .add("GET", `${A}/callback/queues`, withBasicAuth("monitor", adminCb.queues))
    .add("GET", `${A}/callback/watermarks`, withBasicAuth("monitor", adminCb.watermarks))
    .add("POST", `${A}/callback/cancel`, withBasicAuth("supervisor", adminCb.bulkCancel))
    .add("GET", `${A}/callback/cancel/:operation`, withBasicAuth("supervisor", adminCb.bulkCancelSummary))
    .add("POST", `${A}/callback/reportcancelled`, withBasicAuth("supervisor", adminCb.reportCancelled))
    .add("POST", `${A}/callback/ops/delete`, withBasicAuth("admin", adminCb.opsDelete));
  return r;
}

let cached: Router | undefined;
export function router(): Router {
  return (cached ??= build());
}
