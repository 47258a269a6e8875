// The routing table of /genesys (exact GMS URLs). Public routes are open like GMS; admin routes need Basic auth.
import { Router } from "./router";
import { withBasicAuth } from "./wrappers";
import * as adminConfig from "./handlers/admin-config";

function build(): Router {
  const r = new Router();
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
    .add("DELETE", `${A}/patterns/:group`, withBasicAuth("admin", adminConfig.deletePatterns));
  return r;
}

let cached: Router | undefined;
export function router(): Router {
  return (cached ??= build());
}
