export default function Page() {
  return (
    <section>
      <h2>Callbacks</h2>
      <div className="card">This panel arrives with its own issue; the HTTP APIs behind it are documented in the README.</div>
    </section>
  );
}
