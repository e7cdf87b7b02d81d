/**
 * Waits until `probe()` returns a truthy value, calling it every `intervalMs`; rejects with `message` (and the last
 * error `probe` threw, if any) after `timeoutMs`. The end-to-end tests wait this way, never with fixed sleeps.
 * A probe that throws an error marked `fatal` stops the wait at once (e.g. "the server process exited").
 */
export async function pollUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  {
    timeoutMs,
    intervalMs = 100,
    message,
  }: { timeoutMs: number; intervalMs?: number; message: string | (() => string) },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      const text = typeof message === 'function' ? message() : message;
      const cause = lastError ? ` Last error: ${(lastError as Error).message ?? lastError}` : '';
      throw new Error(`${text} (waited ${(timeoutMs / 1000).toFixed(0)} s).${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** An error that ends a `pollUntil` at once. */
export function fatal(message: string): Error {
  return Object.assign(new Error(message), { fatal: true });
}
