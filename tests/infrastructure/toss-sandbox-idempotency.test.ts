import { newOrderId, sleep, startSandbox, tossApi, type SandboxHarness } from './toss-sandbox.fixture';

const MIN = 60_000;
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

describe('Idempotency-Key', () => {
  it('replays the first answer without executing again', async () => {
    const s = await h.session();
    const first = await confirm(s, 'key-1');
    const second = await confirm(s, 'key-1');
    expect(second.status).toBe(200);
    expect(second.body.lastTransactionKey).toBe(first.body.lastTransactionKey);
    expect((await confirm(s, 'key-2')).body.code).toBe('ALREADY_PROCESSED_PAYMENT');
  });

  it('replays a stored error, even for another body', async () => {
    const s = await h.session();
    const wrong = await confirm({ ...s, orderId: newOrderId() }, 'key-err');
    const fixed = await confirm(s, 'key-err');
    expect([fixed.status, fixed.body]).toEqual([wrong.status, wrong.body]);
    expect((await lookup(s.paymentKey)).body.status).toBe('IN_PROGRESS');
  });

  it('scopes keys by path and forgets them after 15 days', async () => {
    const s = await h.session();
    expect((await confirm(s, 'shared')).body.status).toBe('DONE');
    const c1 = await cancel(s.paymentKey, { cancelReason: 'a', cancelAmount: 1000 }, 'shared');
    expect(c1.body.balanceAmount).toBe(9_000);
    h.clock.t += 15 * 24 * 60 * MIN - 1;
    expect(
      (await cancel(s.paymentKey, { cancelReason: 'a', cancelAmount: 1000 }, 'shared')).body.balanceAmount,
    ).toBe(9_000);
    h.clock.t += 1;
    expect(
      (await cancel(s.paymentKey, { cancelReason: 'a', cancelAmount: 1000 }, 'shared')).body.balanceAmount,
    ).toBe(8_000);
  });

  it('answers a re-sent cancel with the stored first answer, lastTransactionKey included', async () => {
    const s = await h.session();
    await confirm(s, 'confirm-key');
    const first = await cancel(s.paymentKey, { cancelReason: 'a', cancelAmount: 3_000 }, 'cancel-a');
    expect(first.status).toBe(200);
    const firstCancel = first.body.cancels[0].transactionKey as string;
    expect(first.body.lastTransactionKey).toBe(firstCancel);
    const later = await cancel(s.paymentKey, { cancelReason: 'b', cancelAmount: 2_000 }, 'cancel-b');
    expect(later.body.lastTransactionKey).not.toBe(firstCancel);
    const resent = await cancel(s.paymentKey, { cancelReason: 'a', cancelAmount: 3_000 }, 'cancel-a');
    expect([resent.status, resent.body]).toEqual([200, first.body]);
    expect((await lookup(s.paymentKey)).body).toMatchObject({
      balanceAmount: 5_000,
      status: 'PARTIAL_CANCELED',
    });
  });

  it('answers a full cancel of a CANCELED payment with 400 ALREADY_CANCELED_PAYMENT', async () => {
    const s = await h.session();
    await confirm(s, 'confirm-key');
    expect((await cancel(s.paymentKey, { cancelReason: 'void' }, 'void-1')).body.status).toBe('CANCELED');
    const again = await cancel(s.paymentKey, { cancelReason: 'void' }, 'void-2');
    expect([again.status, again.body.code]).toEqual([400, 'ALREADY_CANCELED_PAYMENT']);
    const noKey = await cancel(s.paymentKey, { cancelReason: 'void' });
    expect([noKey.status, noKey.body.code]).toEqual([400, 'ALREADY_CANCELED_PAYMENT']);
  });

  it('refuses a key over 300 characters with 400 INVALID_IDEMPOTENCY_KEY', async () => {
    const s = await h.session();
    const long = await confirm(s, 'k'.repeat(301));
    expect([long.status, long.body.code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
    expect((await confirm(s, 'k'.repeat(300))).status).toBe(200);
  });

  it('answers 409 IDEMPOTENT_REQUEST_PROCESSING while the first request is held, then executes', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'timeout', 1);
    const first = confirm(s, 'key-held')
      .timeout(400)
      .then(
        () => 'answered',
        () => 'gave up',
      );
    await sleep(100);
    const during = await confirm(s, 'key-held');
    expect([during.status, during.body.code]).toEqual([409, 'IDEMPOTENT_REQUEST_PROCESSING']);
    expect(await first).toBe('gave up');
    await sleep(50);
    const after = await confirm(s, 'key-held');
    expect([after.status, after.body.status]).toEqual([200, 'DONE']);
  });
});
