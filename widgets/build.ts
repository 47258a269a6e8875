// Builds the embeddable widget scripts from widgets/src into public/widgets (committed, so the server and the
// embedding pages need no build step): `npm run build:widgets`, also run by `npm run build` and the e2e script.
// Files are rewritten only when their content changes (npm start rebuilds the app when public/ is newer).
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { getCountries, getCountryCallingCode } from "libphonenumber-js";

const root = path.resolve(import.meta.dirname, "..");
export const OUT_DIR = path.join(root, "public", "widgets");

/** Each script, its entry and its size budget (bytes, minified / gzipped): README "Embedding the widget". */
export const WIDGETS = [
  { file: "callback-service.js", entry: "widgets/src/service-entry.ts", maxMin: 15 * 1024, maxGzip: 6 * 1024 },
  { file: "callback-form.js", entry: "widgets/src/form-entry.ts", maxMin: 24 * 1024, maxGzip: 10 * 1024 },
] as const;

const countries = () =>
  getCountries()
    .map((c) => c + getCountryCallingCode(c))
    .join(",");

async function css(): Promise<string> {
  const r = await build({ entryPoints: [path.join(root, "widgets/src/form.css")], minify: true, write: false, logLevel: "silent" });
  return r.outputFiles[0].text.trim();
}

export interface Built {
  file: string;
  code: string;
  minBytes: number;
  gzipBytes: number;
}

/** Builds every widget in memory; `write` also updates public/widgets where the content differs. */
export async function buildWidgets(write = false): Promise<Built[]> {
  const define = { __FORM_CSS__: JSON.stringify(await css()), __COUNTRIES__: JSON.stringify(countries()) };
  const out: Built[] = [];
  for (const w of WIDGETS) {
    const r = await build({
      entryPoints: [path.join(root, w.entry)],
      bundle: true,
      minify: true,
      format: "iife",
      target: "es2019",
      legalComments: "none",
      define,
      write: false,
      logLevel: "silent",
      banner: { js: `/* ${w.file}: built from widgets/src by npm run build:widgets */` },
    });
    const code = r.outputFiles[0].text;
    out.push({ file: w.file, code, minBytes: Buffer.byteLength(code), gzipBytes: zlib.gzipSync(code, { level: 9 }).length });
    const target = path.join(OUT_DIR, w.file);
    if (write && (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== code)) {
      fs.mkdirSync(OUT_DIR, { recursive: true });
      fs.writeFileSync(target, code);
    }
  }
  return out;
}
