// Shown (with status 403) when a signed-in user opens a console page above their role.
export default function Forbidden() {
  return (
    <section>
      <h2>Not allowed</h2>
      <div className="card">Your role does not allow this page. Ask an admin if you need it.</div>
    </section>
  );
}
