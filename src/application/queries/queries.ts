import { inject, injectable } from 'inversify';
import { DomainError } from '../../domain/shared/domain-error';
import { subscriptionView } from '../../domain/subscription';
import type { Clock } from '../ports/clock.port';
import type { Page, ReadModelStore } from '../ports/read-model-store.port';
import { EVENT_FUND, EVENT_FUND_ID, type EventFundDoc } from '../event-fund/event-fund.projection';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import { SUBSCRIPTIONS, type SubscriptionDoc } from '../subscription/subscriptions.projection';
import type { PlanCatalog } from '../order/plan-catalog';
import { TOKENS } from '../tokens';
import { orderView, paymentView, type PaymentView } from '../payment/payment.view';

export interface Reader {
  userId: string;
  role: 'user' | 'admin' | 'auditor';
}

const canRead = (reader: Reader, ownerId: string, roles: Reader['role'][]): boolean =>
  reader.userId === ownerId || roles.includes(reader.role);

/**
 * Rendered views by document. A store that hands out the same (frozen) document until it
 * changes makes repeat reads free; a changed document is a new object, so nothing goes stale.
 */
const views = new WeakMap<OrderDoc, PaymentView>();
function cachedPaymentView(doc: OrderDoc): PaymentView {
  let view = views.get(doc);
  if (!view) {
    view = paymentView(doc);
    views.set(doc, view);
  }
  return view;
}

/** Every read, served from the projections; time-dependent statuses are judged at read time. */
@injectable()
export class Queries {
  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.PlanCatalog) private readonly catalog: PlanCatalog,
  ) {}

  plans() {
    return this.catalog.plans;
  }

  async order(orderId: string, reader: Reader) {
    const doc = await this.readModels.get<OrderDoc>(ORDERS, orderId);
    if (!doc) throw new DomainError('ORDER_NOT_FOUND', 'no such order');
    if (!canRead(reader, doc.userId, ['admin'])) throw new DomainError('FORBIDDEN', 'not your order');
    return orderView(doc, this.clock.now());
  }

  async payment(orderId: string, reader: Reader): Promise<PaymentView> {
    const doc = await this.readModels.get<OrderDoc>(ORDERS, orderId);
    if (!doc || !doc.hasPayment) throw new DomainError('PAYMENT_NOT_FOUND', 'no payment for this order');
    if (!canRead(reader, doc.userId, ['admin', 'auditor']))
      throw new DomainError('FORBIDDEN', 'not your payment');
    return cachedPaymentView(doc);
  }

  /** Payment history, newest first: `where` is `{userId}` or `{planId}`. */
  async history(
    where: { userId: string } | { planId: number },
    limit: number,
    cursor?: string,
  ): Promise<Page<PaymentView>> {
    const page = await this.readModels.query<OrderDoc>(ORDERS, {
      where: { ...where, hasPayment: true },
      orderBy: 'createdAtMs',
      direction: 'desc',
      limit,
      cursor,
    });
    return { items: page.items.map(cachedPaymentView), nextCursor: page.nextCursor };
  }

  async subscription(userId: string) {
    const doc = await this.readModels.get<SubscriptionDoc>(SUBSCRIPTIONS, userId);
    const view = doc ? subscriptionView(doc.state, this.clock.now()) : null;
    if (!view) throw new DomainError('SUBSCRIPTION_NOT_FOUND', 'this user never had a subscription');
    return view;
  }

  async eventFund(): Promise<{ total: number; contributions: number }> {
    const fund = await this.readModels.get<EventFundDoc>(EVENT_FUND, EVENT_FUND_ID);
    return { total: fund?.total ?? 0, contributions: fund?.contributions ?? 0 };
  }
}
