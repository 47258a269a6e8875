// Shown (with status 403) when a signed-in user opens a console page above their role.
import Link from "next/link";

export const metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <section>
      <h1>Not allowed</h1>
      <div className="card">
        Your role does not allow this page. Ask an admin if you need it, or go back to <Link href="/callbacks">Callbacks</Link>.
      </div>
    </section>
  );
}
