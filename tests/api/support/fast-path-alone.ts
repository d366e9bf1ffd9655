import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { authenticate } from '../../../src/interfaces/http/auth/authenticate.middleware';
import { BearerAuthenticator } from '../../../src/interfaces/http/auth/bearer-authenticator';
import type { RequestHandlerFirst } from '../../../src/interfaces/http/fast-path';
import type { HttpContext } from '../../../src/interfaces/http/http-context';
import type { Api } from './harness';

/**
 * One fast path alone on a server of its own, over the running service's application: what it
 * serves is answered, what it passes on gets 418 "passed on".
 */
export async function fastPathAlone(
  api: Api,
  make: (ctx: HttpContext) => RequestHandlerFirst,
): Promise<{ at: ReturnType<typeof request>; port: number; close(): Promise<void> }> {
  const bearer = new BearerAuthenticator(api.service.settings.jwtSecret);
  // The fast paths use the application and the authenticator; the middlewares are Express's.
  const ctx: HttpContext = {
    app: api.service.app,
    bearer,
    authenticate: authenticate(bearer),
    idempotency: (_req, _res, next) => next(),
  };
  const fast = make(ctx);
  const server = http.createServer((req, res) => {
    if (!fast(req, res)) res.writeHead(418).end('passed on');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    at: request(`http://127.0.0.1:${port}`),
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
