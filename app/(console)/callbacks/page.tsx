import { RecentCallbacks } from "./recent-callbacks";

export default function Page() {
  return (
    <section>
      <h2>Callbacks</h2>
      <RecentCallbacks />
    </section>
  );
}
