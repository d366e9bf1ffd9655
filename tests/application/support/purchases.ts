import { randomUUID } from 'node:crypto';
import type { ConfirmResult } from '../../../src/application/payment/confirm-payment.handler';
import type { RefundOutcome } from '../../../src/application/refund/refund-executor';
import type { ProcessWorld } from './process-harness';

export const BASIC = 1;
export const PREMIUM = 2;
export const EVENT = 3;

const user = (userId: string) => ({ kind: 'user' as const, userId, role: 'user' });

/** A pre-order of the plan (EVENT plans take an amount). */
export async function placeOrder(world: ProcessWorld, userId: string, planId: number, amount?: number) {
  const { order } = await world.app.placeOrder.handle({
    requestId: randomUUID(),
    userId,
    actor: user(userId),
    planId,
    amount,
  });
  return order.order;
}

/** The buyer's confirm after the PG's window (Toss: with the amount the window returned). */
export function confirm(
  world: ProcessWorld,
  provider: 'toss' | 'portone',
  userId: string,
  orderId: string,
  pgPaymentId: string,
  amount: number | null,
): Promise<ConfirmResult> {
  return world.app.confirmPayment.handle({
    requestId: randomUUID(),
    userId,
    actor: user(userId),
    provider,
    orderId,
    pgPaymentId,
    amount: provider === 'toss' ? amount : null,
  });
}

/** Order, pay in the window, confirm: the order id and the PG payment. */
export async function purchase(
  world: ProcessWorld,
  userId: string,
  planId = BASIC,
  provider: 'toss' | 'portone' = 'toss',
  amount?: number,
): Promise<{ orderId: string; pgPaymentId: string; amount: number; result: ConfirmResult }> {
  const order = await placeOrder(world, userId, planId, amount);
  const pg = provider === 'toss' ? world.toss : world.portone;
  const pgPaymentId = pg.authorize(order.orderId, order.amount);
  const result = await confirm(world, provider, userId, order.orderId, pgPaymentId, order.amount);
  return { orderId: order.orderId, pgPaymentId, amount: order.amount, result };
}

/** A refund request by the owner (or an admin), without an Idempotency-Key. */
export function refund(
  world: ProcessWorld,
  orderId: string,
  by: { userId: string; role: 'user' | 'admin' },
  amount?: number,
): Promise<RefundOutcome & { refundId: string }> {
  return world.app.requestRefund.handle({
    requestId: randomUUID(),
    actor: by,
    orderId,
    amount,
    reason: 'test refund',
  });
}
