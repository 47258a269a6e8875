// Console panels that later issues build: reachable by URL behind the page's own session and role check, but
// answered with the console's 404 until they exist (the menu does not link them).
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/users";

export function placeholderPage(path: string, role: Role = "monitor") {
  return async function Page() {
    await requirePage(role, path);
    notFound();
  };
}
