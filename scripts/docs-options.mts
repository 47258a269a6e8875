// npm run docs:options — rewrites the option table between the markers in docs/options.md.
import fs from "node:fs";
import { OPTION_DEFS } from "../lib/callback/options";
import { optionTableMarkdown } from "./option-table";

const doc = fs.readFileSync("docs/options.md", "utf8");
const a = "<!-- options:start -->",
  b = "<!-- options:end -->";
fs.writeFileSync(
  "docs/options.md",
  doc.slice(0, doc.indexOf(a) + a.length) + "\n" + optionTableMarkdown(OPTION_DEFS) + "\n" + doc.slice(doc.indexOf(b)),
);
console.log("option table of docs/options.md updated");
