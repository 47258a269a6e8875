import { getStore } from "@/db/store";
import { requirePage } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ServicesPage() {
  await requirePage("monitor", "/services");
  const services = getStore().listServices();
  return (
    <section>
      <h2>Configured Services</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Options</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td>{s.kind}</td>
              <td>
                <code>{Object.keys(s.options).length}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {services.length === 0 && <p>No services configured.</p>}
    </section>
  );
}
