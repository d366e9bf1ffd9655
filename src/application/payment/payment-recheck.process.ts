import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import { pendingCollection } from '../jobs/pending-work';
import { PAYMENT_RECHECK, type RecheckItem } from './payment-recheck.pending';
import type { PaymentSync } from './payment-sync';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * P3: after approval a payment is asked about again at these offsets, since a webhook (a console
 * cancel's) can be missed; after the last one only webhooks and the auditor's reconciliation
 * with the PG's transaction list look at it.
 */
export const RECHECK_OFFSETS_MS: readonly number[] = [10 * MINUTE, HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY];
const WINDOW_MS = RECHECK_OFFSETS_MS[RECHECK_OFFSETS_MS.length - 1] ?? 0;
const PAGE = 500;
const RUN_BUDGET = 200;

/**
 * Re-checks paid orders against the PG on the slow schedule above. Only payments approved
 * within the window are scanned (newest first); the instant of each one's last check is kept
 * for those alone. A check that fails is simply made at the next offset.
 */
@injectable()
export class PaymentRecheck implements DueJobSource {
  readonly name = PAYMENT_RECHECK;
  /** Payments seen by this process, and the instant after which their next check falls. */
  private readonly checkedAt = new Map<string, number>();

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async nextDueAt(): Promise<number | null> {
    let earliest: number | null = null;
    for (const item of await this.inWindow()) {
      const due = this.nextCheck(item);
      if (due !== null && (earliest === null || due < earliest)) earliest = due;
    }
    return earliest;
  }

  async runDue(now: number): Promise<void> {
    const items = await this.inWindow();
    const listed = new Set(items.map((item) => item.id));
    for (const id of this.checkedAt.keys()) if (!listed.has(id)) this.checkedAt.delete(id);
    const due = items.filter((item) => (this.nextCheck(item) ?? Infinity) <= now).slice(0, RUN_BUDGET);
    for (const item of due) {
      this.checkedAt.set(item.id, now);
      await this.sync.sync(item.orderId, item.provider, item.pgPaymentId, `recheck:${item.orderId}:${now}`);
    }
  }

  /** The first offset after the last check. */
  private nextCheck(item: RecheckItem): number | null {
    let after = this.checkedAt.get(item.id);
    if (after === undefined) {
      // First seen: right after its approval, or after a restart, when the offsets already
      // passed are not made up all at once (they would be a burst of PG calls at every start).
      after = Math.max(item.approvedAtMs, this.clock.now());
      this.checkedAt.set(item.id, after);
    }
    for (const offset of RECHECK_OFFSETS_MS)
      if (item.approvedAtMs + offset > after) return item.approvedAtMs + offset;
    return null;
  }

  /** Payments approved within the window: the collection read newest first, until the window ends. */
  private async inWindow(): Promise<RecheckItem[]> {
    const items: RecheckItem[] = [];
    const oldest = this.clock.now() - WINDOW_MS - DAY;
    let cursor: string | undefined;
    for (;;) {
      const page = await this.readModels.query<RecheckItem>(pendingCollection(PAYMENT_RECHECK), {
        where: { owed: true },
        orderBy: 'approvedAtMs',
        direction: 'desc',
        limit: PAGE,
        cursor,
      });
      for (const item of page.items) {
        if (item.approvedAtMs < oldest) return items;
        items.push(item);
      }
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
  }
}
