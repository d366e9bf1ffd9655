import { AUTH, newOrderId, startSandbox, tossApi, type SandboxHarness } from './toss-sandbox.fixture';

let h: SandboxHarness;
beforeEach(async () => {
  h = await startSandbox();
});
afterEach(async () => {
  await h.close();
});

const confirm = (body: unknown, key?: string) => tossApi(h).confirm(body, key);
const cancel = (paymentKey: string, body: object, key?: string) => tossApi(h).cancel(paymentKey, body, key);
const lookup = (paymentKey: string) => tossApi(h).lookup(paymentKey);
const approved = async () => {
  const s = await h.session();
  expect((await confirm(s)).status).toBe(200);
  return s;
};

describe('cancel', () => {
  it('cancels partially, refuses more than the balance, then cancels the rest', async () => {
    const s = await approved();
    const part = await cancel(s.paymentKey, { cancelReason: '부분 환불', cancelAmount: 3_000 });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({
      status: 'PARTIAL_CANCELED',
      totalAmount: 10_000,
      balanceAmount: 7_000,
    });
    expect(part.body.cancels).toEqual([
      expect.objectContaining({
        cancelAmount: 3_000,
        cancelReason: '부분 환불',
        refundableAmount: 7_000,
        cancelStatus: 'DONE',
      }),
    ]);
    expect(part.body.lastTransactionKey).toBe(part.body.cancels[0].transactionKey);

    const over = await cancel(s.paymentKey, { cancelReason: 'too much', cancelAmount: 7_001 });
    expect([over.status, over.body.code]).toEqual([403, 'NOT_CANCELABLE_AMOUNT']);

    const rest = await cancel(s.paymentKey, { cancelReason: '전액 환불' });
    expect(rest.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(rest.body.cancels.map((c: { cancelAmount: number }) => c.cancelAmount)).toEqual([3_000, 7_000]);
    expect(new Set(rest.body.cancels.map((c: { transactionKey: string }) => c.transactionKey)).size).toBe(2);

    const again = await cancel(s.paymentKey, { cancelReason: 'again' });
    expect([again.status, again.body.code]).toEqual([400, 'ALREADY_CANCELED_PAYMENT']);
  });

  it('refuses to cancel a payment that was never approved, or does not exist', async () => {
    const s = await h.session();
    const notDone = await cancel(s.paymentKey, { cancelReason: 'x' });
    const missing = await cancel('tgen_missing', { cancelReason: 'x' });
    expect([notDone.status, notDone.body.code]).toEqual([403, 'NOT_CANCELABLE_PAYMENT']);
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND_PAYMENT']);
  });

  it('requires a cancelReason and a positive integer cancelAmount', async () => {
    const s = await approved();
    for (const body of [
      {},
      { cancelReason: '' },
      { cancelReason: 'x', cancelAmount: 0 },
      { cancelReason: 'x', cancelAmount: 1.5 },
    ]) {
      const res = await cancel(s.paymentKey, body);
      expect([res.status, res.body.code]).toEqual([400, 'INVALID_REQUEST']);
    }
    expect((await lookup(s.paymentKey)).body.balanceAmount).toBe(10_000);
  });

  it('cancels from the merchant console without auth and without counting a service call', async () => {
    const s = await approved();
    const res = await h.http
      .post(`/sandbox/toss/console/payments/${s.paymentKey}/cancel`)
      .send({ cancelReason: '콘솔 취소' });
    expect(res.body).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(h.sandbox.callCounts(s.orderId)).toEqual({ confirm: 1, lookup: 0, cancel: 0 });
    expect(h.sandbox.webhooks.list().map((w) => w.paymentStatus)).toEqual(['DONE', 'CANCELED']);
  });
});

describe('faults', () => {
  it('http500 answers 500 without applying, once per armed time', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'http500', 2);
    for (let i = 0; i < 2; i++) {
      const res = await confirm(s, 'same-key');
      expect([res.status, res.body.code]).toEqual([500, 'FAILED_INTERNAL_SYSTEM_PROCESSING']);
      expect((await lookup(s.paymentKey)).body.status).toBe('IN_PROGRESS');
    }
    // The 500 was not stored: the same key now executes.
    expect((await confirm(s, 'same-key')).body.status).toBe('DONE');
  });

  it('decline on confirm is a card refusal and aborts the payment', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'decline', 1);
    const res = await confirm(s);
    expect([res.status, res.body.code]).toEqual([403, 'REJECT_CARD_COMPANY']);
    expect((await lookup(s.paymentKey)).body.status).toBe('ABORTED');
  });

  it('decline on cancel refuses with NOT_CANCELABLE_PAYMENT and cancels nothing', async () => {
    const s = await approved();
    h.faults.add('toss', 'cancel', 'decline', 1);
    const res = await cancel(s.paymentKey, { cancelReason: 'x' });
    expect([res.status, res.body.code]).toEqual([403, 'NOT_CANCELABLE_PAYMENT']);
    expect((await cancel(s.paymentKey, { cancelReason: 'x' })).body.status).toBe('CANCELED');
  });

  it('approve-then-timeout applies the confirm, loses the answer, and replays it for the same key', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'approve-then-timeout', 1);
    const lost = await confirm(s, 'k1')
      .timeout(300)
      .then(
        () => 'answered',
        () => 'gave up',
      );
    expect(lost).toBe('gave up');
    const now = await lookup(s.paymentKey);
    expect(now.body.status).toBe('DONE');
    const retry = await confirm(s, 'k1');
    expect([retry.status, retry.body.lastTransactionKey]).toEqual([200, now.body.lastTransactionKey]);
  });

  it('timeout on lookup holds the call and applies nothing', async () => {
    const s = await h.session();
    h.faults.add('toss', 'lookup', 'timeout', 1);
    const held = await lookup(s.paymentKey)
      .timeout(300)
      .then(
        () => 'answered',
        () => 'gave up',
      );
    expect(held).toBe('gave up');
    expect((await lookup(s.paymentKey)).status).toBe(200);
  });
});

describe('TossPayments-Test-Code', () => {
  it('forces the error code with its status and leaves the payment untouched', async () => {
    const s = await h.session();
    const forced = await confirm(s).set('TossPayments-Test-Code', 'REJECT_CARD_PAYMENT');
    const unlisted = await confirm(s).set('TossPayments-Test-Code', 'SOME_NEW_CODE');
    const onLookup = await lookup(s.paymentKey).set(
      'TossPayments-Test-Code',
      'FAILED_INTERNAL_SYSTEM_PROCESSING',
    );
    expect([forced.status, forced.body.code]).toEqual([403, 'REJECT_CARD_PAYMENT']);
    expect([unlisted.status, unlisted.body.code]).toEqual([400, 'SOME_NEW_CODE']);
    expect([onLookup.status, onLookup.body.code]).toEqual([500, 'FAILED_INTERNAL_SYSTEM_PROCESSING']);
    expect((await lookup(s.paymentKey)).body.status).toBe('IN_PROGRESS');
  });
});

describe('buyer side and call counter', () => {
  it('refuses an orderId Toss would refuse, and a second session for an approved order', async () => {
    const bad = await h.http
      .post('/sandbox/toss/sessions')
      .send({ orderId: 'abc=def123', amount: 1000, orderName: 'x' });
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_REQUEST']);
    const s = await approved();
    const dup = await h.http
      .post('/sandbox/toss/sessions')
      .send({ orderId: s.orderId, amount: 1000, orderName: 'x' });
    expect([dup.status, dup.body.code]).toEqual([400, 'DUPLICATED_ORDER_ID']);
  });

  it('serves a payment window that creates sessions, and sends the old checkout address there', async () => {
    const res = await h.http.get('/sandbox/toss/window?orderId=abcdef&amount=1000&orderName=x');
    expect([res.status, res.type]).toEqual([200, 'text/html']);
    const script = await h.http.get('/sandbox/toss/window.js');
    expect(script.text).toContain("fetch('sessions'");
    const old = await h.http.get('/sandbox/toss/checkout?orderId=abcdef&amount=1000');
    expect([old.status, old.headers.location]).toEqual([302, 'window?orderId=abcdef&amount=1000']);
  });

  it('counts calls per operation and per orderId, including refused ones', async () => {
    const a = await h.session();
    const b = await h.session();
    await confirm(a);
    await confirm(a);
    await h.http.post('/sandbox/toss/v1/payments/confirm').send(b); // no auth: still a call
    await h.http.get(`/sandbox/toss/v1/payments/orders/${b.orderId}`).set('Authorization', AUTH);
    await cancel(a.paymentKey, { cancelReason: 'x' });
    expect((await h.http.get('/sandbox/toss/calls')).body).toEqual({ confirm: 3, lookup: 1, cancel: 1 });
    expect((await h.http.get(`/sandbox/toss/calls?orderId=${a.orderId}`)).body).toEqual({
      confirm: 2,
      lookup: 0,
      cancel: 1,
    });
    expect((await h.http.get(`/sandbox/toss/calls?orderId=${newOrderId()}`)).body).toEqual({
      confirm: 0,
      lookup: 0,
      cancel: 0,
    });
    await h.http.delete('/sandbox/toss/calls');
    expect(h.sandbox.callCounts()).toEqual({ confirm: 0, lookup: 0, cancel: 0 });
  });
});
