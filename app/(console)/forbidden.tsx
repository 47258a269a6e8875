export function Forbidden({ role }: { role: string }) {
  return (
    <section>
      <h2>Not allowed</h2>
      <div className="card">This page needs the <strong>{role}</strong> role or higher.</div>
    </section>
  );
}
