// Runs once when the Next.js server starts (Node.js runtime only): database, first admin, demo data, scheduler.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./lib/bootstrap");
  bootstrap();
}
