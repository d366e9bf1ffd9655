import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { TossPaymentGateway } from '../../src/infrastructure/pg/toss/toss-payment-gateway';
import {
  SECRET,
  confirmReq,
  sleep,
  startSandbox,
  tossApi,
  type SandboxHarness,
} from './toss-sandbox.fixture';

let h: SandboxHarness;
let pg: TossPaymentGateway;

beforeEach(async () => {
  h = await startSandbox();
  pg = new TossPaymentGateway({ baseUrl: h.baseUrl, secretKey: SECRET, timeoutMs: 300 });
});
afterEach(async () => {
  pg.close();
  await h.close();
});

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('unknown', () => {
  it('classifies http500 as unknown', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'http500', 1);
    h.faults.add('toss', 'lookup', 'http500', 1);
    expect(await pg.confirm(confirmReq(s))).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('500'),
    });
    expect(await pg.findByOrderId(s.orderId)).toMatchObject({ kind: 'unknown' });
  });

  it('classifies a timeout as unknown within the deadline', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'timeout', 1);
    // The sandbox holds the call for 30 s: only the 300 ms deadline ends it inside the test's 5 s.
    expect(await pg.confirm(confirmReq(s))).toMatchObject({ kind: 'unknown' });
    expect((await pg.findByOrderId(s.orderId)).kind === 'ok').toBe(true);
  });

  it('gives up at the deadline even while the PG keeps the socket busy, trickling its answer', async () => {
    const s = await h.session();
    expect((await pg.confirm(confirmReq(s))).kind).toBe('ok');
    const answer = JSON.stringify((await tossApi(h).lookup(s.paymentKey)).body);
    // 40 pieces 50 ms apart: never idle for the socket timeout, 2 s in all.
    const piece = Math.ceil(answer.length / 40);
    const app = express();
    app.get('/v1/payments/:paymentKey', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(answer.slice(sent, sent + piece));
        sent += piece;
        if (sent >= answer.length) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
    const { server, url } = await listen(app);
    const hasty = new TossPaymentGateway({ baseUrl: url, secretKey: SECRET, timeoutMs: 300 });
    const patient = new TossPaymentGateway({ baseUrl: url, secretKey: SECRET, timeoutMs: 4_000 });
    try {
      expect(await hasty.getPayment(s.paymentKey)).toMatchObject({ kind: 'unknown' });
      // The same answer, waited for, is a good one: only the deadline made the first unknown.
      expect(await patient.getPayment(s.paymentKey)).toMatchObject({
        kind: 'ok',
        value: { pgPaymentId: s.paymentKey, status: 'APPROVED' },
      });
    } finally {
      hasty.close();
      patient.close();
      server.close();
    }
  });

  it('classifies approve-then-timeout as unknown, and the reconciling lookup then sees the approval', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'approve-then-timeout', 1);
    expect(await pg.confirm(confirmReq(s))).toMatchObject({ kind: 'unknown' });
    expect(await pg.findByOrderId(s.orderId)).toMatchObject({ kind: 'ok', value: { status: 'APPROVED' } });
    expect(await pg.confirm(confirmReq(s))).toMatchObject({ kind: 'ok', value: { status: 'APPROVED' } });
  });

  it('classifies 409 IDEMPOTENT_REQUEST_PROCESSING as unknown', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'timeout', 1);
    const held = pg.confirm(confirmReq(s, 'busy'));
    await sleep(100);
    expect(await pg.confirm(confirmReq(s, 'busy'))).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('IDEMPOTENT_REQUEST_PROCESSING'),
    });
    expect((await held).kind).toBe('unknown');
  });

  it('classifies a refused connection as unknown, without logging', async () => {
    const { server, url } = await listen(express());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const dead = new TossPaymentGateway({ baseUrl: url, secretKey: SECRET, timeoutMs: 300 });
    const spies = (['log', 'info', 'warn', 'error'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => {}),
    );
    const result = await dead.confirm({ pgPaymentId: 'k', orderId: 'o', amount: 1, idempotencyKey: 'i' });
    expect(result).toEqual({ kind: 'unknown', reason: expect.stringContaining('ECONNREFUSED') });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    spies.forEach((spy) => spy.mockRestore());
    dead.close();
  });

  it('classifies unreadable answers (non-Payment 2xx, 4xx without a Toss code, 502) as unknown', async () => {
    const app = express();
    app.get('/v1/payments/orders/text', (_req, res) => void res.status(200).send('<html>ok</html>'));
    app.get('/v1/payments/orders/empty', (_req, res) => void res.status(200).json({}));
    app.get('/v1/payments/orders/html404', (_req, res) => void res.status(404).send('<h1>Not Found</h1>'));
    app.get(
      '/v1/payments/orders/bad-gateway',
      (_req, res) => void res.status(502).json({ code: 'X', message: 'y' }),
    );
    const { server, url } = await listen(app);
    const odd = new TossPaymentGateway({ baseUrl: url, secretKey: SECRET, timeoutMs: 300 });
    for (const orderId of ['text', 'empty', 'html404', 'bad-gateway']) {
      expect(await odd.findByOrderId(orderId)).toMatchObject({ kind: 'unknown' });
    }
    odd.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
