// Runs once when the Next.js server starts (Node.js runtime only): database, first admin, demo data, scheduler,
// and the answer to the methods Next.js cannot represent (lib/http/forbidden-methods.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { answerForbiddenMethods } = await import("./lib/http/forbidden-methods");
  answerForbiddenMethods();
  const { bootstrap } = await import("./lib/bootstrap");
  bootstrap();
}
