// Shutdown on SIGTERM/SIGINT: Next.js closes its server and then calls process.exit itself, which would cut short
// work of ours still under way (the scheduler's last tick and its lease hand-back). That exit waits for it here.

/** process.exit as Node.js defines it: the grace period's timer uses it, whatever is still being waited for. */
export const hardExit: (code?: number) => never = process.exit.bind(process);

/**
 * From now on, a call to process.exit (Next.js makes one once its server has closed) exits only after `work` has
 * settled, with the code it was called with.
 */
export function deferExitUntil(work: Promise<unknown>): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    void work.then(
      () => exit(code),
      () => exit(code),
    );
  }) as typeof process.exit;
}
