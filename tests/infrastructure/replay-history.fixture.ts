import { randomUUID } from 'node:crypto';
import type { EventToAppend, RecordedEvent } from '../../src/application/ports/event-store.port';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../src/domain/notification/pg-notification.decider';
import type { OrderCommand } from '../../src/domain/order/order.commands';
import { orderDecider, orderStreamId } from '../../src/domain/order/order.decider';
import type { PaymentCommand } from '../../src/domain/payment/payment.commands';
import { paymentDecider, paymentStreamId } from '../../src/domain/payment/payment.decider';
import {
  pgPaymentClaimDecider,
  pgPaymentClaimStreamId,
} from '../../src/domain/payment/pg-payment-claim.decider';
import { DEFAULT_PLANS, type EventPlan, type SubscriptionPlan } from '../../src/domain/plan/plan';
import type { Decider, DomainEvent } from '../../src/domain/shared/decider';
import { fold } from '../../src/domain/shared/decider';
import { MINUTE_MS, type Instant } from '../../src/domain/shared/time';
import { subscriptionDecider } from '../../src/domain/subscription';
import { CryptoIdGenerator } from '../../src/infrastructure/ids/crypto-id-generator';
import type { SqliteEventStore } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-store';

const BASIC = DEFAULT_PLANS.find((p) => p.code === 'BASIC') as SubscriptionPlan;
const PREMIUM = DEFAULT_PLANS.find((p) => p.code === 'PREMIUM') as SubscriptionPlan;
const EVENT = DEFAULT_PLANS.find((p) => p.code === 'EVENT') as EventPlan;
const T0: Instant = Date.parse('2024-03-01T10:00:00+09:00');
const CARD = { method: '카드', cardIssuerCode: '61', cardIssuerName: '현대' } as const;

export function metadata(): EventToAppend['metadata'] {
  return {
    eventId: randomUUID(),
    correlationId: 'replay-test',
    causationId: 'replay-test',
    actor: { kind: 'system', process: 'replay-test' },
    recordedAt: new Date(T0).toISOString(),
    prevHash: '',
    hash: '',
  };
}

/** The generic command handler in miniature: read the stream, fold, decide, append. */
async function handle<C, E extends DomainEvent, S>(
  store: SqliteEventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  now: Instant,
): Promise<void> {
  const stored = await store.readStream(streamId);
  const state = fold(decider, stored as unknown as E[]);
  const events = decider.decide(command, state, now);
  if (events.length === 0) return;
  const expected = stored.length === 0 ? 'no_stream' : stored.length - 1;
  await store.append(
    streamId,
    events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: metadata() })),
    expected,
  );
}

/**
 * A history with streams of every kind, recorded through the real deciders: orders (paid,
 * rejected then paid, expired), payments (some refunded), PG payment claims, subscriptions of
 * a few users (several purchases each) and PG webhook notices.
 */
export async function recordHistory(store: SqliteEventStore, orders = 24): Promise<void> {
  const ids = new CryptoIdGenerator();
  for (let i = 0; i < orders; i++) {
    const orderId = ids.orderId();
    const userId = `user-${i % 5}`;
    const plan = [BASIC, PREMIUM, EVENT][i % 3];
    const at = (minutes: number) => T0 + i * 60 * MINUTE_MS + minutes * MINUTE_MS;
    const amount = plan.kind === 'EVENT' ? 5_000 + i : plan.price;
    const order = (command: OrderCommand, now: Instant) =>
      handle(store, orderStreamId(orderId), orderDecider, command, now);
    await order(
      {
        type: 'PlaceOrder',
        orderId,
        userId,
        plan,
        amount: plan.kind === 'EVENT' ? amount : undefined,
        ttlMs: 30 * MINUTE_MS,
      },
      at(0),
    );
    if (i % 7 === 6) {
      await order({ type: 'ExpireOrder' }, at(31));
      continue;
    }
    const pgPaymentId = `tgen_${orderId.slice(0, 8)}_${i}`;
    if (i % 4 === 1) {
      await order(
        { type: 'StartPaymentAttempt', userId, provider: 'toss', pgPaymentId: `${pgPaymentId}x`, amount },
        at(1),
      );
      await order(
        { type: 'RecordAttemptRejected', attempt: 1, code: 'REJECT_CARD_COMPANY', message: '카드사 거절' },
        at(2),
      );
    }
    await handle(
      store,
      pgPaymentClaimStreamId('toss', pgPaymentId),
      pgPaymentClaimDecider,
      { type: 'ClaimPgPayment', provider: 'toss', pgPaymentId, orderId },
      at(3),
    );
    await order({ type: 'StartPaymentAttempt', userId, provider: 'toss', pgPaymentId, amount }, at(3));
    const attempt = i % 4 === 1 ? 2 : 1;
    await order(
      {
        type: 'RecordApproval',
        attempt,
        provider: 'toss',
        pgPaymentId,
        pgAmount: amount,
        approvedAt: at(4),
        methodDetail: CARD,
      },
      at(4),
    );
    const payment = (command: PaymentCommand, now: Instant) =>
      handle(store, paymentStreamId(orderId), paymentDecider, command, now);
    await payment(
      {
        type: 'OpenPayment',
        orderId,
        userId,
        planId: plan.id,
        planType: plan.kind,
        provider: 'toss',
        pgPaymentId,
        amount,
        approvedAt: at(4),
        methodDetail: CARD,
      },
      at(4),
    );
    if (plan.kind === 'SUBSCRIPTION') {
      await handle(
        store,
        `subscription-${userId}`,
        subscriptionDecider,
        { type: 'ApplyPurchase', data: { userId, orderId, plan, approvedAt: at(4) } },
        at(4),
      );
    }
    if (i % 5 === 2) {
      const refundId = `rf-${i}`;
      await payment(
        {
          type: 'RequestRefund',
          refundId,
          amount: 1_000,
          reason: '단순 변심',
          actor: { userId, role: 'user' },
          refundWindowDays: 3,
        },
        at(10),
      );
      await payment({ type: 'CompleteRefund', refundId, pgCancelId: `cancel-${i}` }, at(11));
    }
    if (i % 3 === 0) {
      const notice = pgNotificationStreamId(orderId);
      await handle(
        store,
        notice,
        pgNotificationDecider,
        {
          type: 'ReceiveNotification',
          provider: 'toss',
          orderId,
          pgPaymentId,
          eventType: 'PAYMENT_STATUS_CHANGED',
          status: 'DONE',
          deliveryId: `d-${i}`,
        },
        at(5),
      );
      await handle(
        store,
        notice,
        pgNotificationDecider,
        { type: 'MarkNotificationsProcessed', upTo: 1 },
        at(6),
      );
    }
  }
}

/** Every event of the store, in global order. */
export async function readEverything(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (
    let page = await store.readAll(0, 500);
    page.length > 0;
    page = await store.readAll(all[all.length - 1].globalPosition, 500)
  ) {
    all.push(...page);
  }
  return all;
}
