import type { ServerResponse } from 'node:http';

/**
 * Simulates a PG that never answers: keeps the request open until the client gives up (its
 * timeout closes the socket), or drops the connection after `maxMs` so nothing leaks.
 */
export function holdUntilClientGivesUp(res: ServerResponse, maxMs = 30_000): void {
  const timer = setTimeout(() => res.socket?.destroy(), maxMs);
  timer.unref();
  // `res` closes when the client hangs up; a request's own 'close' fires once its body is read.
  res.on('close', () => clearTimeout(timer));
}
