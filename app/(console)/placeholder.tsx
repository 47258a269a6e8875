// Console panels that later issues fill in: a titled card, role-checked when a role is given.
import { requireUser } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/users";

export function placeholderPage(title: string, role?: Role) {
  return async function Page() {
    if (role && !(await requireUser(role)).allowed)
      return (
        <section>
          <h2>Not allowed</h2>
          <div className="card">This page needs the <strong>{role}</strong> role or higher.</div>
        </section>
      );
    return (
      <section>
        <h2>{title}</h2>
        <div className="card">This panel arrives with its own issue; the HTTP APIs behind it are documented in the README.</div>
      </section>
    );
  };
}
