// Runs once when the Next.js server starts (Node.js runtime only): database, first admin, demo data, scheduler,
// and the guard for requests Next.js cannot route (lib/http/node-guard.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installNodeGuard } = await import("./lib/http/node-guard");
  installNodeGuard();
  const { bootstrap } = await import("./lib/bootstrap");
  bootstrap();
}
