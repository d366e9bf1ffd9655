import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { compose, loadSettings } from '../../src/infrastructure/composition';
import { authenticate } from '../../src/interfaces/http/auth/authenticate.middleware';
import { BearerAuthenticator } from '../../src/interfaces/http/auth/bearer-authenticator';
import { createRequestListener } from '../../src/interfaces/http/app';
import type { HttpContext } from '../../src/interfaces/http/http-context';
import { freshDataDir, PLAN, removeDataDir, startApi } from './support/harness';

/** Issue #12.4: readiness, and a graceful shutdown that lets requests in flight answer. */

/** A GET on a connection of its own (no keep-alive agent): refused once the server stopped listening. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
  });
}

describe('readiness', () => {
  it('is 503 until the read models caught up at start, 200 then, and 503 while shutting down', async () => {
    const dataDir = freshDataDir();
    const settings = loadSettings({ PORT: '3999', DATA_DIR: dataDir });
    const composition = await compose(settings);
    const bearer = new BearerAuthenticator(settings.jwtSecret);
    let shuttingDown = false;
    const ctx: HttpContext = {
      app: composition.app,
      bearer,
      authenticate: authenticate(bearer),
      idempotency: (_req, _res, next) => next(),
      shuttingDown: () => shuttingDown,
    };
    const server = http.createServer(createRequestListener({ ctx, mounts: [], log: () => {} }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const at = () => request(`http://127.0.0.1:${port}`);
    try {
      // Composed, projector not started: alive, not ready.
      expect((await at().get('/health/live')).status).toBe(200);
      const starting = await at().get('/health/ready');
      expect(starting.status).toBe(503);
      expect(starting.body.status).toBe('starting');

      await composition.start({ schedulerIntervalMs: 3_600_000 });
      expect((await at().get('/health/ready')).status).toBe(200);
      // /health is unchanged.
      expect((await at().get('/health')).body.status).toBe('ok');

      shuttingDown = true;
      const draining = await at().get('/health/ready');
      expect(draining.status).toBe(503);
      expect(draining.body.status).toBe('shutting-down');
      expect((await at().get('/health/live')).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await composition.close();
      removeDataDir(dataDir);
    }
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight answer, and refuses new connections once close() started', async () => {
    // The PG holds the confirm until the service's own 1.5 s deadline: a slow request.
    const api = await startApi(undefined, { PG_TIMEOUT_MS: '1500' });
    try {
      const user = await api.token('drained');
      const order = await api.order(user, PLAN.BASIC);
      const { paymentKey } = await api.tossSession(order);
      await api.fault('timeout', 'confirm');
      const inFlight = api.confirm(user, {
        provider: 'toss',
        paymentKey,
        orderId: order.orderId,
        amount: order.amount,
      });
      // supertest sends when awaited; start it now and let it reach the server.
      const answered = inFlight.then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const closing = api.service.close();
      await expect(getOnNewConnection(`${api.service.url}/health/live`)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
      const res = await answered;
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ orderId: order.orderId, status: 'PENDING' });
      await closing;
    } finally {
      removeDataDir(api.dataDir);
    }
  });

  it('exits 0 on SIGTERM while a slow request is in flight, after answering it', async () => {
    const dataDir = freshDataDir();
    const main = path.resolve(__dirname, '../../dist/src/main.js');
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', PG_TIMEOUT_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (found) resolve(found[1]);
        });
        child.once('exit', () => reject(new Error(`exited before listening: ${out}`)));
      });
      const at = () => request(url);
      const token = (await at().post('/sandbox/tokens').send({ userId: 'sigterm', role: 'user' })).body
        .token as string;
      const order = (
        await at().post('/v1/orders').set('Authorization', `Bearer ${token}`).send({ planId: 1 })
      ).body as { orderId: string; amount: number };
      const session = (
        await at()
          .post('/sandbox/toss/sessions')
          .send({ ...order, orderName: 'o' })
      ).body as {
        paymentKey: string;
      };
      await at()
        .post('/sandbox/faults')
        .send({ provider: 'toss', operation: 'confirm', kind: 'timeout', times: 1 });
      const answered = at()
        .post('/v1/payments/confirm')
        .set('Authorization', `Bearer ${token}`)
        .send({
          provider: 'toss',
          paymentKey: session.paymentKey,
          orderId: order.orderId,
          amount: order.amount,
        })
        .then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 300));

      child.kill('SIGTERM');
      expect((await answered).status).toBe(202);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      removeDataDir(dataDir);
    }
  });
});
