/**
 * Runs one PG call under a deadline for the whole exchange (axios's own `timeout` only watches
 * socket inactivity): the signal aborts after `ms`, and the timer is cleared the moment the call
 * settles. `AbortSignal.timeout()` would keep every timer alive for its full period, thousands
 * of them at a few hundred calls a second, and the collector pays for each.
 */
export async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
