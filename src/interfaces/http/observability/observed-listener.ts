import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ServiceMetrics } from '../../../infrastructure/composition';
import type { Logger } from '../../observability/logger';
import { requestIdOf } from './request-id';
import { refuseWhileNotServing, type ServingState } from './serving-state';

export const METRICS_PATH = '/metrics';

export interface Observation {
  logger: Logger;
  metrics: ServiceMetrics;
  serving: ServingState;
  /** The route template of a request (observability/route-template.ts). */
  routeOf(method: string | undefined, url: string | undefined): string;
}

/**
 * Wraps the whole request listener (fast paths and Express alike): gives every request its id
 * (echoed in `X-Request-Id`), writes one JSON log line and the HTTP metrics when it ends, serves
 * `GET /metrics`, and turns API requests away while the service starts or drains. The log line names the
 * method, route template, path (never the query), status, duration and request id: no header
 * and no body is ever logged, so neither a token nor a secret can be.
 */
export function observeRequests(listener: RequestListener, o: Observation): RequestListener {
  return (req, res) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    o.serving.track(res);
    // Taken now: Express rewrites req.url inside a mounted router.
    const path = pathOf(req.url);
    const route = o.routeOf(req.method, req.url);
    res.once('close', () => finished(o, req, res, { requestId, path, route, started }));
    if (req.method === 'GET' && path === METRICS_PATH) return void serveMetrics(o, res);
    // Probes are answered while starting and draining (they say so); the API is not.
    if (!o.serving.isServing && !path.startsWith('/health')) {
      return refuseWhileNotServing(res, o.serving.isDraining);
    }
    listener(req, res);
  };
}

function finished(
  o: Observation,
  req: IncomingMessage,
  res: ServerResponse,
  { requestId, path, route, started }: { requestId: string; path: string; route: string; started: number },
): void {
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  const method = req.method ?? 'UNKNOWN';
  const status = res.headersSent ? res.statusCode : 0;
  const statusClass = status === 0 ? 'none' : `${Math.floor(status / 100)}xx`;
  o.metrics.observeHttp(method, route, statusClass, durationMs / 1000);
  const line = {
    requestId,
    method,
    route,
    path,
    status,
    durationMs,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
  if (status >= 500 || status === 0) o.logger.warn(line, 'request');
  else o.logger.info(line, 'request');
}

function pathOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return url === undefined ? '/' : q === -1 ? url : url.slice(0, q);
}

async function serveMetrics(o: Observation, res: ServerResponse): Promise<void> {
  try {
    const { contentType, text } = await o.metrics.exposition();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } catch (error) {
    o.logger.error({ err: error }, 'metrics: a collector failed');
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
  }
}
