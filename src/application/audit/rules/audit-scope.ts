import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import { SEAL_STREAM } from '../seal';
import { idOf } from './audit-rule';

export interface ScopeFilter {
  userId?: string;
  orderId?: string;
}

/**
 * `--user` / `--order`: which streams and events an audit reports on, known from the events
 * alone. An order's owner is the `userId` its OrderPlaced records; the order's streams are
 * `order-`, `payment-` and `pgnotice-<orderId>`; a PG payment's claim stream belongs to the
 * orders it names; a user's subscription is `subscription-<userId>` (for `--order`, only its
 * events naming the order); a process's parked item belongs to the order (or user) its item id
 * starts with. Findings about the seals themselves vouch for every stream and are always kept.
 */
export class AuditScope {
  readonly orders = new Set<string>();
  readonly users = new Set<string>();
  private readonly streams = new Set<string>();
  private readonly positions = new Set<number>();
  private readonly claims = new Set<string>();
  /** Whether any event of the history was in scope. */
  private matched = false;

  constructor(readonly filter: ScopeFilter) {
    if (filter.userId !== undefined) {
      this.users.add(filter.userId);
      this.streams.add(`subscription-${filter.userId}`);
    }
  }

  get narrowed(): boolean {
    return this.filter.userId !== undefined || this.filter.orderId !== undefined;
  }

  /** Narrowed to a user or an order the history never mentions (a mistyped id, say). */
  get matchesNothing(): boolean {
    return this.narrowed && !this.matched;
  }

  /** Whether the event is in scope (every event of the store goes through here, in order). */
  admits(event: EventContent): boolean {
    if (!this.narrowed) return true;
    const d = event.data;
    if (event.type === 'OrderPlaced') this.placed(idOf(event.streamId), String(d.userId));
    if (event.type === 'PgPaymentClaimed' && this.orders.has(String(d.orderId))) {
      this.streams.add(event.streamId);
      this.claims.add(`${String(d.provider)}:${String(d.pgPaymentId)}`);
    }
    if (this.streams.has(event.streamId)) return (this.matched = true);
    const item = String(d.itemId).slice(0, Math.max(0, String(d.itemId).lastIndexOf('@')));
    const mine =
      (event.streamId.startsWith('subscription-') && this.orders.has(String(d.orderId))) ||
      (event.streamId.startsWith('process-') &&
        (this.orders.has(item.split(':')[0]) || this.users.has(item) || this.claims.has(item)));
    if (mine) this.positions.add(event.globalPosition);
    this.matched ||= mine;
    return mine;
  }

  covers(finding: Finding): boolean {
    if (!this.narrowed || finding.streamId === SEAL_STREAM) return true;
    return (
      this.streams.has(finding.streamId) ||
      (finding.globalPosition !== null && this.positions.has(finding.globalPosition))
    );
  }

  private placed(orderId: string, userId: string): void {
    if (orderId !== this.filter.orderId && userId !== this.filter.userId) return;
    this.orders.add(orderId);
    if (this.filter.orderId !== undefined) this.users.add(userId);
    for (const kind of ['order', 'payment', 'pgnotice']) this.streams.add(`${kind}-${orderId}`);
  }
}
