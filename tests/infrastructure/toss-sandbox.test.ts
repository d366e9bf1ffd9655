import { AUTH, SECRET, newOrderId, startSandbox, tossApi, type SandboxHarness } from './toss-sandbox.fixture';

const MIN = 60_000;
let h: SandboxHarness;

beforeEach(async () => {
  h = await startSandbox();
});
afterEach(async () => {
  await h.close();
});

const confirm = (body: unknown, key?: string) => tossApi(h).confirm(body, key);
const lookup = (paymentKey: string) => tossApi(h).lookup(paymentKey);
const approved = async (body: Record<string, unknown> = {}) => {
  const s = await h.session(body);
  expect((await confirm(s)).status).toBe(200);
  return s;
};

describe('auth', () => {
  it('refuses a missing or wrong secret key with 401 UNAUTHORIZED_KEY', async () => {
    const s = await h.session();
    const none = await h.http.post('/sandbox/toss/v1/payments/confirm').send(s);
    const wrong = await h.http
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', `Basic ${Buffer.from('test_sk_other:').toString('base64')}`)
      .send(s);
    expect([none.status, none.body.code]).toEqual([401, 'UNAUTHORIZED_KEY']);
    expect([wrong.status, wrong.body.code]).toEqual([401, 'UNAUTHORIZED_KEY']);
    expect((await lookup(s.paymentKey)).body.status).toBe('IN_PROGRESS');
  });

  it('refuses a credential without the colon with 403 INCORRECT_BASIC_AUTH_FORMAT', async () => {
    const res = await h.http
      .get('/sandbox/toss/v1/payments/orders/whatever')
      .set('Authorization', `Basic ${Buffer.from(SECRET).toString('base64')}`);
    expect([res.status, res.body.code]).toEqual([403, 'INCORRECT_BASIC_AUTH_FORMAT']);
  });
});

describe('confirm', () => {
  it('approves a session and answers the full Payment object', async () => {
    h.clock.t = Date.parse('2025-03-01T03:04:05.000Z');
    const s = await h.session({ amount: 11_000, cardIssuerCode: '41' });
    h.clock.t += 2 * MIN;
    const res = await confirm(s);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      paymentKey: s.paymentKey,
      orderId: s.orderId,
      status: 'DONE',
      method: '카드',
      totalAmount: 11_000,
      balanceAmount: 11_000,
      suppliedAmount: 10_000,
      vat: 1_000,
      currency: 'KRW',
      type: 'NORMAL',
      requestedAt: '2025-03-01T12:04:05+09:00',
      approvedAt: '2025-03-01T12:06:05+09:00',
      cancels: null,
      failure: null,
      isPartialCancelable: true,
      easyPay: null,
      card: { issuerCode: '41', acquirerCode: '41', installmentPlanMonths: 0, amount: 11_000 },
    });
    expect(res.body.card.number).toMatch(/^\d{8}\*{4}\d{3}\*$/);
    expect(res.body.lastTransactionKey).toMatch(/^[0-9A-F]{32}$/);
    expect(res.body.receipt.url).toContain(res.body.lastTransactionKey);
    const byOrder = await h.http
      .get(`/sandbox/toss/v1/payments/orders/${s.orderId}`)
      .set('Authorization', AUTH);
    expect(byOrder.body).toEqual(res.body);
  });

  it('keeps the easy-pay provider', async () => {
    const s = await h.session({ method: '간편결제', easyPayProvider: '카카오페이' });
    const res = await confirm(s);
    expect(res.body).toMatchObject({
      method: '간편결제',
      easyPay: { provider: '카카오페이', amount: 10_000 },
      card: null,
    });
  });

  it('answers 404 NOT_FOUND_PAYMENT for an unknown paymentKey and order', async () => {
    const res = await confirm({ paymentKey: 'tgen_nope', orderId: newOrderId(), amount: 100 });
    const byOrder = await h.http
      .get(`/sandbox/toss/v1/payments/orders/${newOrderId()}`)
      .set('Authorization', AUTH);
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND_PAYMENT']);
    expect([byOrder.status, byOrder.body.code]).toEqual([404, 'NOT_FOUND_PAYMENT']);
  });

  it('refuses another orderId (403 FORBIDDEN_REQUEST) and another amount (400) without approving', async () => {
    const s = await h.session();
    const otherOrder = await confirm({ ...s, orderId: newOrderId() });
    const otherAmount = await confirm({ ...s, amount: s.amount - 1 });
    expect([otherOrder.status, otherOrder.body.code]).toEqual([403, 'FORBIDDEN_REQUEST']);
    expect([otherAmount.status, otherAmount.body.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await lookup(s.paymentKey)).body.status).toBe('IN_PROGRESS');
    expect((await confirm(s)).status).toBe(200);
  });

  it('answers 400 ALREADY_PROCESSED_PAYMENT to a second confirm', async () => {
    const s = await approved();
    const again = await confirm(s);
    expect([again.status, again.body.code]).toEqual([400, 'ALREADY_PROCESSED_PAYMENT']);
  });

  it('declines a session with outcome decline: 403 REJECT_CARD_COMPANY, payment ABORTED', async () => {
    const s = await h.session({ outcome: 'decline' });
    const res = await confirm(s);
    expect([res.status, res.body.code]).toEqual([403, 'REJECT_CARD_COMPANY']);
    const after = await lookup(s.paymentKey);
    expect(after.body).toMatchObject({
      status: 'ABORTED',
      failure: { code: 'REJECT_CARD_COMPANY' },
      approvedAt: null,
    });
  });

  it('answers an outcome given as a Toss code with that code and its status', async () => {
    const limit = await h.session({ outcome: 'EXCEED_MAX_AMOUNT' });
    const balance = await h.session({ outcome: 'REJECT_CARD_PAYMENT' });
    expect((await confirm(limit)).body.code).toBe('EXCEED_MAX_AMOUNT');
    expect((await confirm(limit)).status).toBe(404); // the session is gone after a failure
    const res = await confirm(balance);
    expect([res.status, res.body.code]).toEqual([403, 'REJECT_CARD_PAYMENT']);
  });

  it('expires a session not confirmed within 10 minutes: 404 NOT_FOUND_PAYMENT_SESSION, then EXPIRED', async () => {
    const onTime = await h.session();
    const late = await h.session();
    h.clock.t += 10 * MIN;
    expect((await confirm(onTime)).status).toBe(200);
    h.clock.t += 1;
    const res = await confirm(late);
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND_PAYMENT_SESSION']);
    expect((await lookup(late.paymentKey)).body).toMatchObject({
      status: 'EXPIRED',
      failure: { code: 'EXPIRED_PAYMENT' },
    });
  });

  it('shows an unconfirmed session as IN_PROGRESS, and EXPIRED once its window lapsed', async () => {
    const s = await h.session();
    expect((await lookup(s.paymentKey)).body).toMatchObject({ status: 'IN_PROGRESS', approvedAt: null });
    h.clock.t += 10 * MIN + 1;
    expect((await lookup(s.paymentKey)).body.status).toBe('EXPIRED');
  });

  it('answers a malformed body with 400 INVALID_REQUEST, never a crash', async () => {
    const s = await h.session();
    const badJson = await h.http
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', AUTH)
      .set('Content-Type', 'application/json')
      .send('{"paymentKey": ');
    const stringAmount = await confirm({ ...s, amount: String(s.amount) });
    const array = await confirm([s]);
    const empty = await h.http.post('/sandbox/toss/v1/payments/confirm').set('Authorization', AUTH);
    for (const res of [badJson, stringAmount, array, empty]) {
      expect([res.status, res.body.code]).toEqual([400, 'INVALID_REQUEST']);
    }
  });
});
