// `npm run build:widgets`: writes public/widgets/*.js from widgets/src and prints their sizes against the budget.
import { buildWidgets, WIDGETS } from "../widgets/build";

let over = false;
for (const b of await buildWidgets(true)) {
  const w = WIDGETS.find((x) => x.file === b.file)!;
  const ok = b.minBytes < w.maxMin && b.gzipBytes < w.maxGzip;
  over ||= !ok;
  console.log(
    `[widgets] ${b.file}: ${b.minBytes} B minified, ${b.gzipBytes} B gzipped ` +
      `(budget < ${w.maxMin} / < ${w.maxGzip})${ok ? "" : "  OVER BUDGET"}`,
  );
}
process.exit(over ? 1 : 0);
