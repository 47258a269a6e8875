// npm run docs:options — rewrites the option table between the markers in README.md.
import fs from "node:fs";
import { OPTION_DEFS } from "../lib/callback/options";
import { optionTableMarkdown } from "./option-table";

const readme = fs.readFileSync("README.md", "utf8");
const a = "<!-- options:start -->",
  b = "<!-- options:end -->";
fs.writeFileSync(
  "README.md",
  readme.slice(0, readme.indexOf(a) + a.length) + "\n" + optionTableMarkdown(OPTION_DEFS) + "\n" + readme.slice(readme.indexOf(b)),
);
console.log("README option table updated");
