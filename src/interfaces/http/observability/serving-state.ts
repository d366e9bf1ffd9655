import type { Server, ServerResponse } from 'node:http';
import type { Logger } from '../../observability/logger';

/** How long a graceful close waits for requests in flight before it cuts them. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * The server's side of a graceful shutdown: the requests in flight, and whether it is draining
 * (then /health/ready answers 503, and a request that still arrives on a kept-alive connection
 * is turned away with 503 and `Connection: close`).
 */
export class ServingState {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private started = false;

  get isDraining(): boolean {
    return this.draining;
  }

  /** Serving the API: started (the read models caught up) and not draining. */
  get isServing(): boolean {
    return this.started && !this.draining;
  }

  /** The composition started: the API is served from now on. */
  markStarted(): void {
    this.started = true;
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  track(res: ServerResponse): void {
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (each answer closes its
   * connection), closes idle kept-alive connections, and after `timeoutMs` cuts what is left.
   */
  async drain(server: Server, logger: Logger, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A connection goes idle when its answer is sent; close it then rather than at its keep-alive timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      const drained = await Promise.race([closed.then(() => true), expired]);
      if (!drained) {
        logger.warn(
          { inFlight: this.inFlight.size, timeoutMs },
          'shutdown: requests still in flight at the deadline are cut',
        );
        server.closeAllConnections();
        await closed;
      }
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
  }
}

/**
 * The answer to an API request while the service starts or drains: 503, retry shortly (while
 * draining, on a new connection, which reaches another instance).
 */
export function refuseWhileNotServing(res: ServerResponse, draining: boolean): void {
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Service unavailable',
    status: 503,
    detail: draining ? 'the service is shutting down' : 'the service is starting',
    code: draining ? 'SHUTTING_DOWN' : 'STARTING',
  });
  res.writeHead(503, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'retry-after': '1',
    ...(draining ? { connection: 'close' } : {}),
  });
  res.end(body);
}
