// Console panels that later issues fill in: a titled card behind the page's own session and role check.
import { requirePage } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/users";

export function placeholderPage(title: string, path: string, role: Role = "monitor") {
  return async function Page() {
    await requirePage(role, path);
    return (
      <section>
        <h2>{title}</h2>
        <div className="card">This panel arrives with its own issue; the HTTP APIs behind it are documented in the README.</div>
      </section>
    );
  };
}
