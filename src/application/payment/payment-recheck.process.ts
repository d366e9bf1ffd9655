import { inject, injectable } from 'inversify';
import type { Provider } from '../../domain/order/order.events';
import { fromIso } from '../../domain/shared/time';
import { TOKENS } from '../tokens';
import type { Projection } from '../event-sourcing/projection';
import { MinHeap } from '../jobs/min-heap';
import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { PaymentSync } from './payment-sync';

export const PAYMENT_RECHECK = 'payment-recheck';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * P3: after approval a payment is asked about again at these offsets, since a webhook (a console
 * cancel's) can be missed; after the last one only webhooks and the auditor's reconciliation
 * with the PG's transaction list look at it.
 */
export const RECHECK_OFFSETS_MS: readonly number[] = [10 * MINUTE, HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY];
const RUN_BUDGET = 200;

interface Check {
  orderId: string;
  provider: Provider;
  pgPaymentId: string;
  approvedAtMs: number;
  dueAt: number;
}

/**
 * Re-checks paid orders against the PG on the slow schedule above. Its `feed` is a projection
 * that hands it every approval as the projector applies it (at start, the whole history is
 * replayed through it), and it keeps each payment still inside the window in a schedule by
 * instant, so a tick costs one peek and memory holds only the window. A payment first seen after
 * some of its offsets passed (a restart) waits for its next one: a restart does not make up every
 * check at once. A check that fails is simply made at the next offset.
 */
@injectable()
export class PaymentRecheck implements DueJobSource {
  readonly name = PAYMENT_RECHECK;
  private readonly schedule = new MinHeap<Check>((check) => check.dueAt);

  /** Feeds the schedule; writes nothing. */
  readonly feed: Projection = {
    name: 'payment-recheck-feed',
    apply: async (event) => {
      if (event.type !== 'PaymentApproved') return;
      const d = event.data;
      const check = {
        orderId: String(d.orderId),
        provider: d.provider as Provider,
        pgPaymentId: String(d.pgPaymentId),
        approvedAtMs: fromIso(String(d.approvedAt)),
        dueAt: 0,
      };
      this.plan(check, Math.max(check.approvedAtMs, this.clock.now()));
    },
  };

  constructor(
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async nextDueAt(): Promise<number | null> {
    return this.schedule.peek()?.dueAt ?? null;
  }

  async runDue(now: number): Promise<void> {
    for (let done = 0; done < RUN_BUDGET; done++) {
      const next = this.schedule.peek();
      if (!next || next.dueAt > now) return;
      this.schedule.pop();
      await this.sync.sync(next.orderId, next.provider, next.pgPaymentId, `recheck:${next.orderId}:${now}`);
      this.plan(next, now);
    }
  }

  /** Schedules the first check after `after`, if the window has one left. */
  private plan(check: Check, after: number): void {
    for (const offset of RECHECK_OFFSETS_MS) {
      const dueAt = check.approvedAtMs + offset;
      if (dueAt > after) return this.schedule.push({ ...check, dueAt });
    }
  }
}
