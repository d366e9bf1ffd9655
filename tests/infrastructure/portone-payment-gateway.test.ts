import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';
import type { Clock } from '../../src/application/ports/clock.port';
import type { PgCommandResult } from '../../src/application/ports/payment-gateway.port';
import { PortonePaymentGateway } from '../../src/infrastructure/pg/portone/portone-payment-gateway';
import { MAX_CANCEL_REASON_LENGTH } from '../../src/infrastructure/pg/portone/portone-payment.mapper';
import { FaultRegistry } from '../../src/infrastructure/pg-sandbox/fault-registry';
import { createPortoneSandbox } from '../../src/infrastructure/pg-sandbox/portone/portone-sandbox';

const START = Date.parse('2025-03-01T00:00:00.000Z');
const KEY = 'test_imp_key';
const SECRET = 'test_imp_secret';

class FakeClock implements Clock {
  constructor(public t = START) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

let server: http.Server;
let baseUrl: string;
let sandboxClock: FakeClock;
let faults: FaultRegistry;
const gateways: PortonePaymentGateway[] = [];

beforeEach(async () => {
  sandboxClock = new FakeClock();
  faults = new FaultRegistry();
  const sandbox = createPortoneSandbox({
    db: new Database(':memory:'),
    clock: sandboxClock,
    faults,
    apiKey: KEY,
    apiSecret: SECRET,
    webhookUrl: () => null,
  });
  const app = express();
  app.use('/sandbox/portone', sandbox.router);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/portone`;
});

afterEach(async () => {
  gateways.splice(0).forEach((g) => g.close());
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function gateway(options: { clock?: Clock; timeoutMs?: number; apiSecret?: string; baseUrl?: string } = {}) {
  const g = new PortonePaymentGateway({
    baseUrl: options.baseUrl ?? baseUrl,
    apiKey: KEY,
    apiSecret: options.apiSecret ?? SECRET,
    timeoutMs: options.timeoutMs ?? 2000,
    clock: options.clock ?? sandboxClock,
  });
  gateways.push(g);
  return g;
}

interface SandboxAnswer {
  code: number;
  response: { imp_uid?: string } | null;
}

async function sandboxPost(path: string, body: object): Promise<{ status: number; body: SandboxAnswer }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as SandboxAnswer };
}

async function pay(body: Record<string, unknown> = {}): Promise<string> {
  const res = await sandboxPost('/sessions', {
    merchant_uid: 'order_1',
    amount: 10_000,
    name: '월간 베이직',
    ...body,
  });
  const impUid = res.body.response?.imp_uid;
  if (!impUid) throw new Error(`session not created: ${JSON.stringify(res.body)}`);
  return impUid;
}

async function calls(merchantUid?: string): Promise<Record<string, number>> {
  const query = merchantUid ? `?merchant_uid=${merchantUid}` : '';
  return ((await (await fetch(`${baseUrl}/calls${query}`)).json()) as { response: Record<string, number> })
    .response;
}

const confirmOf = (impUid: string) => ({
  pgPaymentId: impUid,
  orderId: 'order_1',
  amount: 10_000,
  idempotencyKey: 'k',
});

function okValue<T>(result: PgCommandResult<T>): T {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
}

describe('PortonePaymentGateway: tokens', () => {
  it('fetches one token and reuses it while it is fresh', async () => {
    const impUid = await pay();
    const g = gateway();
    okValue(await g.confirm(confirmOf(impUid)));
    sandboxClock.advance(20 * 60_000);
    okValue(await g.getPayment(impUid));
    expect(await calls()).toMatchObject({ token: 1, confirm: 2 });
  });

  it('fetches again shortly before expiry and a new token after it', async () => {
    const impUid = await pay();
    const g = gateway();
    okValue(await g.confirm(confirmOf(impUid)));
    sandboxClock.advance(29 * 60_000 + 1); // inside the 60 s margin before expired_at
    okValue(await g.confirm(confirmOf(impUid)));
    expect((await calls()).token).toBe(2);
    sandboxClock.advance(60 * 60_000);
    okValue(await g.confirm(confirmOf(impUid)));
    expect(await calls()).toMatchObject({ token: 3, confirm: 3 });
  });

  it('drops the token and retries once when PortOne answers 401 (our clock lags the server)', async () => {
    const impUid = await pay();
    const laggingClock = new FakeClock();
    const g = gateway({ clock: laggingClock });
    okValue(await g.confirm(confirmOf(impUid)));
    sandboxClock.advance(31 * 60_000); // the server's token expired; ours still looks fresh
    const payment = okValue(await g.confirm(confirmOf(impUid)));
    expect(payment.pgPaymentId).toBe(impUid);
    expect(await calls()).toMatchObject({ token: 2, confirm: 3 });
  });

  it('shares one in-flight token request among concurrent callers', async () => {
    const impUid = await pay();
    const g = gateway();
    const results = await Promise.all(Array.from({ length: 5 }, () => g.confirm(confirmOf(impUid))));
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
    expect(await calls()).toMatchObject({ token: 1, confirm: 5 });
  });

  it('is refused when the credentials are wrong', async () => {
    const impUid = await pay();
    const result = await gateway({ apiSecret: 'wrong' }).confirm(confirmOf(impUid));
    expect(result).toMatchObject({ kind: 'refused', code: 'HTTP_401' });
  });
});

describe('PortonePaymentGateway: confirm and lookups', () => {
  it('maps a paid card payment to APPROVED with method detail', async () => {
    const impUid = await pay({ card_code: '366' });
    const payment = okValue(await gateway().confirm(confirmOf(impUid)));
    expect(payment).toMatchObject({
      provider: 'portone',
      pgPaymentId: impUid,
      orderId: 'order_1',
      totalAmount: 10_000,
      balanceAmount: 10_000,
      status: 'APPROVED',
      pgStatus: 'paid',
      approvedAt: new Date(START).toISOString(),
      methodDetail: { method: 'card', cardIssuerCode: '366', cardIssuerName: '신한카드' },
      cancels: [],
    });
    expect(payment.methodDetail.cardNumber).toMatch(/^\d{4}-\*{4}-\*{4}-\d{4}$/);
    expect(payment.failure).toBeUndefined();
  });

  it('maps partial and full cancels from cancel_history', async () => {
    const impUid = await pay();
    const g = gateway();
    await sandboxPost(`/console/payments/${impUid}/cancel`, { reason: '부분', amount: 4000 });
    const partial = okValue(await g.getPayment(impUid));
    expect(partial).toMatchObject({ status: 'PARTIALLY_CANCELED', balanceAmount: 6000, totalAmount: 10_000 });
    expect(partial?.cancels).toEqual([
      {
        transactionId: expect.any(String),
        amount: 4000,
        reason: '부분',
        canceledAt: new Date(START).toISOString(),
        // Made in the PortOne console, not by a request of ours.
        requestKey: null,
      },
    ]);
    sandboxClock.advance(1000);
    await sandboxPost(`/console/payments/${impUid}/cancel`, { reason: '전액' });
    const full = okValue(await g.getPayment(impUid));
    expect(full).toMatchObject({ status: 'CANCELED', balanceAmount: 0, pgStatus: 'cancelled' });
    expect(new Set(full?.cancels.map((c) => c.transactionId)).size).toBe(2);
  });

  it('maps a failed payment to NOT_APPROVED with the fail reason', async () => {
    const impUid = await pay({ outcome: 'decline' });
    const payment = okValue(await gateway().confirm(confirmOf(impUid)));
    expect(payment).toMatchObject({ status: 'NOT_APPROVED', pgStatus: 'failed', approvedAt: null });
    expect(payment.failure).toEqual({ code: 'PAYMENT_FAILED', message: expect.stringContaining('거절') });
  });

  it('maps a ready (unfinished) payment to AWAITING with nothing cancellable', async () => {
    const impUid = await pay({ outcome: 'ready' });
    const payment = okValue(await gateway().confirm(confirmOf(impUid)));
    expect(payment).toMatchObject({
      status: 'AWAITING',
      pgStatus: 'ready',
      balanceAmount: 0,
      approvedAt: null,
    });
    expect(payment.failure).toBeUndefined();
  });

  it('refuses confirm of an unknown imp_uid, but lookups answer null', async () => {
    const g = gateway();
    expect(await g.confirm(confirmOf('imp_000000000000'))).toMatchObject({
      kind: 'refused',
      code: 'NOT_FOUND_PAYMENT',
    });
    expect(await g.getPayment('imp_000000000000')).toEqual({ kind: 'ok', value: null });
    expect(await g.findByOrderId('no_such_order')).toEqual({ kind: 'ok', value: null });
  });

  it('finds the latest attempt by order id', async () => {
    await pay({ outcome: 'decline' });
    sandboxClock.advance(60_000);
    const paid = await pay();
    const found = okValue(await gateway().findByOrderId('order_1'));
    expect(found).toMatchObject({ pgPaymentId: paid, status: 'APPROVED' });
  });
});

describe('PortonePaymentGateway: cancel', () => {
  const cancelOf = (impUid: string, amount: number | undefined, balanceBefore: number) => ({
    pgPaymentId: impUid,
    amount,
    reason: '환불',
    idempotencyKey: 'refund-1',
    balanceBefore,
  });

  it('cancels partially, then the rest, sending our balance as checksum', async () => {
    const impUid = await pay();
    const g = gateway();
    const partial = okValue(await g.cancel(cancelOf(impUid, 3000, 10_000)));
    expect(partial).toMatchObject({ status: 'PARTIALLY_CANCELED', balanceAmount: 7000 });
    const rest = okValue(await g.cancel(cancelOf(impUid, undefined, 7000)));
    expect(rest).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(rest.cancels.map((c) => c.amount)).toEqual([3000, 7000]);
  });

  it('is refused with PortOne code when the checksum disagrees, and nothing is cancelled', async () => {
    const impUid = await pay();
    const g = gateway();
    const result = await g.cancel(cancelOf(impUid, 3000, 9000));
    expect(result).toMatchObject({
      kind: 'refused',
      code: '1',
      message: expect.stringContaining('checksum'),
    });
    expect(okValue(await g.getPayment(impUid))).toMatchObject({ status: 'APPROVED', balanceAmount: 10_000 });
  });
});

describe('PortonePaymentGateway: the key of our cancel in its reason', () => {
  const refund = (impUid: string, idempotencyKey: string, amount?: number) => ({
    pgPaymentId: impUid,
    amount,
    reason: '고객 요청 환불',
    idempotencyKey,
    balanceBefore: 10_000,
  });

  it('sends the key in the reason and reads it back as the requestKey, with the clean reason', async () => {
    const impUid = await pay();
    const g = gateway();
    const cancelled = okValue(await g.cancel(refund(impUid, 'll-refund-order_1-r1', 4000)));
    expect(cancelled.cancels).toEqual([
      expect.objectContaining({ amount: 4000, reason: '고객 요청 환불', requestKey: 'll-refund-order_1-r1' }),
    ]);
    // A later lookup tells the same.
    expect(okValue(await g.getPayment(impUid))?.cancels[0]).toMatchObject({
      reason: '고객 요청 환불',
      requestKey: 'll-refund-order_1-r1',
    });
  });

  it('stores the reason as PortOne got it: text, a space and the key in brackets', async () => {
    const impUid = await pay();
    okValue(await gateway().cancel(refund(impUid, 'll-refund-order_1-r2', 1000)));
    const token = (await sandboxPost('/users/getToken', { imp_key: KEY, imp_secret: SECRET })).body
      .response as unknown as { access_token: string };
    const raw = (await (
      await fetch(`${baseUrl}/payments/${impUid}`, {
        headers: { Authorization: `Bearer ${token.access_token}` },
      })
    ).json()) as { response: { cancel_history: Array<{ reason: string }> } };
    expect(raw.response.cancel_history.map((c) => c.reason)).toEqual([
      '고객 요청 환불 [ll-refund-order_1-r2]',
    ]);
  });

  it('cuts a long reason, never the key', async () => {
    const impUid = await pay();
    const key = 'll-refund-order_1-long';
    const payment = okValue(
      await gateway().cancel({ ...refund(impUid, key, 1000), reason: '가'.repeat(500) }),
    );
    expect(payment.cancels[0]?.requestKey).toBe(key);
    expect(payment.cancels[0]?.reason.length).toBe(MAX_CANCEL_REASON_LENGTH - ` [${key}]`.length);
  });

  it('gives a console cancel no requestKey, and keeps a bracket that is not our key in the reason', async () => {
    const impUid = await pay();
    await sandboxPost(`/console/payments/${impUid}/cancel`, { reason: '콘솔 취소', amount: 1000 });
    await sandboxPost(`/console/payments/${impUid}/cancel`, { reason: '메모 [not-ours]', amount: 1000 });
    const payment = okValue(await gateway().getPayment(impUid));
    expect(payment?.cancels.map((c) => [c.reason, c.requestKey])).toEqual([
      ['콘솔 취소', null],
      ['메모 [not-ours]', null],
    ]);
  });

  it('answers already_done to a full cancel of a fully cancelled payment', async () => {
    const impUid = await pay();
    const g = gateway();
    okValue(await g.cancel(refund(impUid, 'll-void-1')));
    const again = await g.cancel(refund(impUid, 'll-void-1'));
    expect(again).toEqual({ kind: 'already_done', code: '1', message: '이미 전액취소된 주문입니다.' });
    const other = await g.cancel({ ...refund(impUid, 'll-void-2'), balanceBefore: 0 });
    expect(other.kind).toBe('already_done');
  });

  it('keeps other code-1 answers refusals', async () => {
    const g = gateway();
    expect(await g.cancel(refund('imp_999999999999', 'll-x'))).toMatchObject({
      kind: 'refused',
      code: '1',
      message: '취소할 결제건이 존재하지 않습니다.',
    });
  });
});

describe('PortonePaymentGateway: unknown outcomes', () => {
  it('is unknown when the PG does not answer in time, and the cancel may have happened', async () => {
    const impUid = await pay();
    const g = gateway({ timeoutMs: 300 });
    okValue(await g.getPayment(impUid)); // token fetched outside the fault
    faults.add('portone', 'cancel', 'approve-then-timeout', 1);
    const result = await g.cancel({
      pgPaymentId: impUid,
      reason: 'x',
      idempotencyKey: 'k',
      balanceBefore: 10_000,
    });
    expect(result.kind).toBe('unknown');
    expect(okValue(await g.getPayment(impUid))).toMatchObject({ status: 'CANCELED' });
    faults.add('portone', 'confirm', 'timeout', 1);
    expect((await g.confirm(confirmOf(impUid))).kind).toBe('unknown');
  });

  it('is unknown on a 500, including from getToken', async () => {
    const impUid = await pay();
    faults.add('portone', 'token', 'http500', 1);
    const g = gateway();
    expect(await g.confirm(confirmOf(impUid))).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('500'),
    });
    faults.add('portone', 'lookup', 'http500', 1);
    expect((await g.findByOrderId('order_1')).kind).toBe('unknown');
    expect((await g.findByOrderId('order_1')).kind).toBe('ok');
  });

  it('is unknown when the connection is refused', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await gateway({ baseUrl: `http://127.0.0.1:${port}` }).getPayment('imp_1');
    expect(result).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
