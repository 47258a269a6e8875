import { requirePage } from "@/lib/auth/session";
import { configuredServices } from "@/lib/console/services";

export const dynamic = "force-dynamic";
export const metadata = { title: "Services" };

export default async function ServicesPage() {
  await requirePage("monitor", "/services");
  const services = configuredServices();
  return (
    <section>
      <h1>Configured Services</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Options
              </th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td className="num">{s.optionCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {services.length === 0 && <p>No services configured.</p>}
    </section>
  );
}
