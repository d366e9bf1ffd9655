import type { Request, Response } from 'express';

/**
 * Simulates a PG that never answers: keeps the request open until the client gives up (its
 * timeout closes the socket), or drops the connection after `maxMs` so nothing leaks.
 */
export function holdUntilClientGivesUp(req: Request, res: Response, maxMs = 30_000): void {
  const timer = setTimeout(() => res.socket?.destroy(), maxMs);
  timer.unref();
  req.on('close', () => clearTimeout(timer));
}
