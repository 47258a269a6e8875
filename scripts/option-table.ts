// Generates the option table of docs/options.md from lib/callback/options.ts (`npm run docs:options` writes it).
import type { OptionDef } from "../lib/callback/options";

const esc = (s: string) => s.replace(/\|/g, "\\|");

export function optionTableMarkdown(defs: OptionDef[]): string {
  const rows = defs.map((d) => {
    const type = d.type === "enum" ? d.values!.join(" \\| ") : d.type;
    const def = d.default === undefined ? (d.required ? "required" : "—") : `\`${d.default}\``;
    return `| \`${esc(d.name)}\` | ${d.scopes.join(", ")} | ${type} | ${def} | ${esc(d.description)} |`;
  });
  return ["| option | section | type | default | meaning |", "|---|---|---|---|---|", ...rows].join("\n");
}
