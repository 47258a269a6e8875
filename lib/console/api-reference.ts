// The API reference page's renderer: Scalar's standalone browser bundle, served from our own origin (the console's
// CSP allows only 'self' scripts, and the server may have no Internet access). Read once from node_modules.
import fs from "node:fs";
import path from "node:path";

const DIR = path.join(process.cwd(), "node_modules", "@scalar", "api-reference");

let cached: { version: string; body: Buffer } | undefined;

/** The bundle and its package version (the version goes into the script URL, so the file can be cached for good). */
export function scalarBundle(): { version: string; body: Buffer } {
  if (!cached) {
    const { version } = JSON.parse(fs.readFileSync(path.join(DIR, "package.json"), "utf8")) as { version: string };
    cached = { version, body: fs.readFileSync(path.join(DIR, "dist", "browser", "standalone.js")) };
  }
  return cached;
}
