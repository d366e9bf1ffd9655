import http from 'node:http';
import { answerClientError } from './client-error';

/**
 * How long and how many: a request must arrive whole (headers and body) within
 * `requestTimeoutMs`, or it is answered 408 and its connection closed, so a body that trickles
 * in or declares more than it sends holds a connection for seconds, not minutes. At most
 * `maxConnections` connections are open at once (more are closed on accept), which leaves the
 * rest of the process's file descriptors to the PG calls, the stores and the webhooks.
 */
export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  maxConnections: 1_000,
};

/** node checks the two timeouts on this interval (30 s by default, which would triple them). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export function createLimitedServer(limits: ServerLimits): http.Server {
  const server = http.createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.requestTimeoutMs),
  });
  server.maxConnections = limits.maxConnections;
  server.on('clientError', answerClientError);
  return server;
}
