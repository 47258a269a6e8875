import { requireUser } from "@/lib/auth/session";
import { Forbidden } from "../forbidden";

export const dynamic = "force-dynamic";

export default async function Page() {
  const user = await requireUser("admin");
  if (!user.allowed) return <Forbidden role="admin" />;
  return (
    <section>
      <h2>Users</h2>
      <div className="card">This panel arrives with its own issue; the HTTP APIs behind it are documented in the README.</div>
    </section>
  );
}
