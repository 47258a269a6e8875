// One badge per state, everywhere: text as well as colour; COMPLETED shows its reason beside it.
export function StateBadge({ state, reason }: { state: string; reason?: string | null }) {
  return (
    <>
      <span className={`badge badge-${state}`}>{state}</span>
      {state === "COMPLETED" && reason ? <span className="reason">{reason}</span> : null}
    </>
  );
}
