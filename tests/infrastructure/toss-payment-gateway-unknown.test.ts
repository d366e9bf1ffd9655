import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { TossPaymentGateway } from '../../src/infrastructure/pg/toss/toss-payment-gateway';
import { SECRET, confirmReq, sleep, startSandbox, type SandboxHarness } from './toss-sandbox.fixture';

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
    const started = Date.now();
    expect(await pg.confirm(confirmReq(s))).toMatchObject({ kind: 'unknown' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await pg.findByOrderId(s.orderId)).kind === 'ok').toBe(true);
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
