import { tossCardIssuerName } from '../../src/infrastructure/pg/toss/toss-card-issuers';
import { TossPaymentGateway } from '../../src/infrastructure/pg/toss/toss-payment-gateway';
import { SECRET, confirmReq, newOrderId, startSandbox, type SandboxHarness } from './toss-sandbox.fixture';

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

describe('ok', () => {
  it('maps an approved card payment, with the issuer name from its code', async () => {
    const s = await h.session({ cardIssuerCode: '41', amount: 19_900 });
    const result = await pg.confirm(confirmReq(s));
    expect(result).toEqual({
      kind: 'ok',
      value: {
        provider: 'toss',
        pgPaymentId: s.paymentKey,
        orderId: s.orderId,
        totalAmount: 19_900,
        balanceAmount: 19_900,
        status: 'APPROVED',
        pgStatus: 'DONE',
        approvedAt: new Date(h.clock.t).toISOString(),
        methodDetail: {
          method: '카드',
          cardIssuerCode: '41',
          cardIssuerName: '신한',
          cardNumber: expect.any(String),
        },
        cancels: [],
      },
    });
  });

  it('keeps the easy-pay provider', async () => {
    const s = await h.session({ method: '간편결제', easyPayProvider: '네이버페이' });
    const result = await pg.confirm(confirmReq(s));
    expect(result.kind === 'ok' && result.value.methodDetail).toEqual({
      method: '간편결제',
      easyPayProvider: '네이버페이',
    });
  });

  it('names the common issuers and never invents a name', () => {
    expect(
      ['11', '41', '51', '61', '71', '21', '31', '91', '33', 'W1', '15', '24', '3A'].map(tossCardIssuerName),
    ).toEqual([
      'KB국민',
      '신한',
      '삼성',
      '현대',
      '롯데',
      '하나',
      'BC',
      'NH농협',
      '우리',
      '우리',
      '카카오뱅크',
      '토스뱅크',
      '케이뱅크',
    ]);
    expect(tossCardIssuerName('ZZ')).toBeUndefined();
    expect(tossCardIssuerName('toString')).toBeUndefined();
  });

  it('returns the first result when a confirm is retried with the same key', async () => {
    const s = await h.session();
    const first = await pg.confirm(confirmReq(s, 'retry-key'));
    const retry = await pg.confirm(confirmReq(s, 'retry-key'));
    const fresh = await pg.confirm(confirmReq(s, 'another-key'));
    expect(first.kind).toBe('ok');
    expect(retry).toEqual(first);
    expect(fresh).toEqual({
      kind: 'already_done',
      code: 'ALREADY_PROCESSED_PAYMENT',
      message: '이미 처리된 결제 입니다.',
    });
    expect(h.sandbox.callCounts(s.orderId).confirm).toBe(3);
  });

  it('finds by order and by key, and answers ok(null) when Toss has no such payment', async () => {
    const s = await h.session();
    expect(await pg.findByOrderId(s.orderId)).toMatchObject({
      kind: 'ok',
      value: { status: 'AWAITING', pgStatus: 'IN_PROGRESS' },
    });
    expect(await pg.findByOrderId(newOrderId())).toEqual({ kind: 'ok', value: null });
    expect(await pg.getPayment('tgen_unknown')).toEqual({ kind: 'ok', value: null });
    await pg.confirm(confirmReq(s));
    expect(await pg.getPayment(s.paymentKey)).toMatchObject({ kind: 'ok', value: { status: 'APPROVED' } });
  });

  it('cancels partially, then the rest, replaying a retried cancel', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    const cancel = {
      pgPaymentId: s.paymentKey,
      amount: 4_000,
      reason: '부분 환불',
      idempotencyKey: 'c1',
      balanceBefore: 10_000,
    };
    const part = await pg.cancel(cancel);
    expect(await pg.cancel(cancel)).toEqual(part);
    expect(part).toMatchObject({
      kind: 'ok',
      value: {
        status: 'PARTIALLY_CANCELED',
        balanceAmount: 6_000,
        cancels: [{ amount: 4_000, reason: '부분 환불' }],
      },
    });
    const over = await pg.cancel({ ...cancel, amount: 6_001, idempotencyKey: 'c2' });
    expect(over).toMatchObject({ kind: 'refused', code: 'NOT_CANCELABLE_AMOUNT' });
    const rest = await pg.cancel({
      pgPaymentId: s.paymentKey,
      reason: '나머지',
      idempotencyKey: 'c3',
      balanceBefore: 6_000,
    });
    expect(rest).toMatchObject({ kind: 'ok', value: { status: 'CANCELED', balanceAmount: 0 } });
    expect(rest.kind === 'ok' && rest.value.cancels.map((c) => c.amount)).toEqual([4_000, 6_000]);
  });
});

describe('the cancel a request made, and already_done', () => {
  const cancelOf = (paymentKey: string, idempotencyKey: string, amount?: number) => ({
    pgPaymentId: paymentKey,
    amount,
    reason: '환불',
    idempotencyKey,
    balanceBefore: 10_000,
  });

  it('gives the cancel this request made its Idempotency-Key, and the others none', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    await pg.cancel(cancelOf(s.paymentKey, 'll-refund-a', 3_000));
    const second = await pg.cancel(cancelOf(s.paymentKey, 'll-refund-b', 2_000));
    expect(second.kind === 'ok' && second.value.cancels.map((c) => [c.amount, c.requestKey])).toEqual([
      [3_000, null],
      [2_000, 'll-refund-b'],
    ]);
  });

  it('answers a re-sent cancel with the original cancel and its key, even after a later cancel', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    const first = await pg.cancel(cancelOf(s.paymentKey, 'll-refund-a', 3_000));
    await pg.cancel(cancelOf(s.paymentKey, 'll-refund-b', 2_000));
    const resent = await pg.cancel(cancelOf(s.paymentKey, 'll-refund-a', 3_000));
    expect(resent).toEqual(first);
    const mine = resent.kind === 'ok' ? resent.value.cancels.filter((c) => c.requestKey !== null) : [];
    expect(mine).toEqual([expect.objectContaining({ amount: 3_000, requestKey: 'll-refund-a' })]);
    // Executed once: the PG holds two cancels, 5,000 in all.
    expect(await pg.getPayment(s.paymentKey)).toMatchObject({ kind: 'ok', value: { balanceAmount: 5_000 } });
  });

  it('leaves every requestKey null on lookups', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    await pg.cancel(cancelOf(s.paymentKey, 'll-refund-a', 3_000));
    const byKey = await pg.getPayment(s.paymentKey);
    const byOrder = await pg.findByOrderId(s.orderId);
    for (const found of [byKey, byOrder]) {
      expect(found.kind === 'ok' && found.value?.cancels.map((c) => c.requestKey)).toEqual([null]);
    }
  });

  it('answers already_done to a cancel of a cancelled payment', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    expect((await pg.cancel(cancelOf(s.paymentKey, 'll-void-1'))).kind).toBe('ok');
    expect(await pg.cancel(cancelOf(s.paymentKey, 'll-void-2'))).toEqual({
      kind: 'already_done',
      code: 'ALREADY_CANCELED_PAYMENT',
      message: '이미 취소된 결제 입니다.',
    });
  });

  it('keeps a refusal that is not "already done" a refusal', async () => {
    const s = await h.session();
    await pg.confirm(confirmReq(s));
    expect(await pg.cancel(cancelOf(s.paymentKey, 'll-over', 10_001))).toMatchObject({
      kind: 'refused',
      code: 'NOT_CANCELABLE_AMOUNT',
    });
  });
});

describe('refused', () => {
  it('classifies Toss 4xx codes as refusals with the PG code and message', async () => {
    const declined = await h.session({ outcome: 'decline' });
    const other = await h.session();
    expect(await pg.confirm(confirmReq(declined))).toEqual({
      kind: 'refused',
      code: 'REJECT_CARD_COMPANY',
      message: '결제 승인이 거절되었습니다.',
    });
    expect(await pg.confirm({ ...confirmReq(other), orderId: newOrderId() })).toMatchObject({
      kind: 'refused',
      code: 'FORBIDDEN_REQUEST',
    });
    const wrongKey = new TossPaymentGateway({
      baseUrl: h.baseUrl,
      secretKey: 'test_sk_wrong',
      timeoutMs: 300,
    });
    expect(await wrongKey.findByOrderId(other.orderId)).toMatchObject({
      kind: 'refused',
      code: 'UNAUTHORIZED_KEY',
    });
    wrongKey.close();
  });

  it('classifies a decline fault as a refusal', async () => {
    const s = await h.session();
    h.faults.add('toss', 'confirm', 'decline', 1);
    expect(await pg.confirm(confirmReq(s))).toMatchObject({ kind: 'refused', code: 'REJECT_CARD_COMPANY' });
  });
});
