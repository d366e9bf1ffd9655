import type { Response } from 'supertest';
import { PLAN, startApi, type Api } from './support/harness';
import {
  paymentOf,
  portonePaymentAtPg,
  portonePurchase,
  refund,
  sum,
  tossPaymentAtPg,
} from './support/pg-helpers';

const byValue = (a: number, b: number): number => a - b;

/**
 * F2 and F3 under load: concurrent refunds of one payment never refund more than was paid, and
 * every refund the service accepted was made at the PG exactly once.
 */
describe('concurrent refunds of one payment', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** Fires every request at once; returns the answers and the amounts of the accepted ones. */
  async function race(token: string, orderId: string, amounts: Array<number | undefined>) {
    const answers: Response[] = await Promise.all(
      amounts.map((amount, i) => refund(api, token, orderId, { amount, reason: `race ${i}` })),
    );
    const accepted = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status !== 201);
    return { answers, accepted, refused, acceptedAmounts: accepted.map((r) => r.body.amount as number) };
  }

  /** Nothing failed on the server; each refusal is a clean, expected 4xx. */
  function expectOnlyCleanRefusals(refused: Response[]): void {
    for (const r of refused) {
      expect(r.status).toBeLessThan(500);
      expect([
        [422, 'REFUND_EXCEEDS_BALANCE'],
        [409, 'CONCURRENCY_CONFLICT'],
      ]).toContainEqual([r.status, r.body.code]);
    }
  }

  it('Toss: 20 × 1,000 on 9,900 accepts at most 9,900, each accepted refund one cancel at the PG', async () => {
    const token = await api.token('race-toss');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);

    const { answers, accepted, refused, acceptedAmounts } = await race(
      token,
      order.orderId,
      Array.from({ length: 20 }, () => 1_000),
    );

    expect(answers).toHaveLength(20);
    expectOnlyCleanRefusals(refused);
    const acceptedTotal = sum(acceptedAmounts);
    expect(acceptedTotal).toBeLessThanOrEqual(9_900);
    // Refusing everything would also be "safe": at least some refunds must go through.
    expect(accepted.length).toBeGreaterThan(0);

    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels).toHaveLength(accepted.length);
    expect(sum(atPg.cancels.map((c) => c.cancelAmount))).toBe(acceptedTotal);
    expect(atPg.balanceAmount).toBe(9_900 - acceptedTotal);
    expect(new Set(atPg.cancels.map((c) => c.cancelReason))).toEqual(
      new Set(accepted.map((r) => r.body.reason as string)),
    );
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment.refundedAmount).toBe(acceptedTotal);
    expect(payment.refunds.filter((r: { status: string }) => r.status === 'COMPLETED')).toHaveLength(
      accepted.length,
    );
  });

  it('Toss: mixed amounts racing never overdraw the payment', async () => {
    const token = await api.token('race-toss-mixed');
    const { order, paymentKey } = await api.purchase(token, PLAN.PREMIUM);
    const amounts = [5_000, 7_000, 3_300, 9_900, 1_000, 2_500, 8_000, 4_000, 6_600, 1_234];

    const { refused, accepted, acceptedAmounts } = await race(token, order.orderId, [...amounts, ...amounts]);

    expectOnlyCleanRefusals(refused);
    const acceptedTotal = sum(acceptedAmounts);
    expect(acceptedTotal).toBeLessThanOrEqual(19_900);
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels.map((c) => c.cancelAmount).sort(byValue)).toEqual([...acceptedAmounts].sort(byValue));
    expect(atPg.cancels).toHaveLength(accepted.length);
    expect(atPg.balanceAmount).toBe(19_900 - acceptedTotal);
  });

  it('Toss: 20 racing full refunds refund the payment once', async () => {
    const token = await api.token('race-toss-full');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);

    const { refused, accepted } = await race(
      token,
      order.orderId,
      Array.from({ length: 20 }, () => undefined),
    );

    expectOnlyCleanRefusals(refused);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]?.body.amount).toBe(9_900);
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels).toHaveLength(1);
    expect(atPg.status).toBe('CANCELED');
  });

  it('PortOne: 20 × 1,000 on 9,900 accepts at most 9,900, matching cancel_history one to one', async () => {
    const token = await api.token('race-portone');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);

    const { refused, accepted, acceptedAmounts } = await race(
      token,
      order.orderId,
      Array.from({ length: 20 }, () => 1_000),
    );

    expectOnlyCleanRefusals(refused);
    const acceptedTotal = sum(acceptedAmounts);
    expect(acceptedTotal).toBeLessThanOrEqual(9_900);
    expect(accepted.length).toBeGreaterThan(0);
    const atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.cancel_history).toHaveLength(accepted.length);
    expect(sum(atPg.cancel_history.map((c) => c.amount))).toBe(acceptedTotal);
    expect(atPg.cancel_amount).toBe(acceptedTotal);
    expect(atPg.amount - atPg.cancel_amount).toBe(9_900 - acceptedTotal);
    expect(atPg.status).toBe('paid');
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(acceptedTotal);
  });

  it('PortOne: mixed amounts racing never overdraw, and a last full refund empties it exactly', async () => {
    const token = await api.token('race-portone-mixed');
    const { order, impUid } = await portonePurchase(api, token, PLAN.EVENT, 30_000);
    const amounts = [12_000, 9_000, 7_500, 4_000, 15_000, 1_000, 2_000, 3_000, 6_000, 8_800];

    const { refused, accepted, acceptedAmounts } = await race(token, order.orderId, [...amounts, ...amounts]);

    expectOnlyCleanRefusals(refused);
    const acceptedTotal = sum(acceptedAmounts);
    expect(acceptedTotal).toBeLessThanOrEqual(30_000);
    let atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.cancel_history.map((c) => c.amount).sort(byValue)).toEqual(
      [...acceptedAmounts].sort(byValue),
    );
    expect(atPg.cancel_history).toHaveLength(accepted.length);

    if (acceptedTotal < 30_000) {
      const rest = await refund(api, token, order.orderId, { reason: 'the rest' });
      expect(rest.status).toBe(201);
      expect(rest.body.amount).toBe(30_000 - acceptedTotal);
    }
    atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.status).toBe('cancelled');
    expect(atPg.cancel_amount).toBe(30_000);
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('REFUNDED');
  });
});
