import { inject, injectable } from 'inversify';
import type { Provider } from '../../domain/order/order.events';
import { fromIso } from '../../domain/shared/time';
import { TOKENS } from '../tokens';
import type { Projection } from '../event-sourcing/projection';
import { MinHeap } from '../jobs/min-heap';
import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { Doc, ReadModelStore } from '../ports/read-model-store.port';
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

/** What the feed keeps per approved payment (collection `payment_recheck`). */
export interface RecheckDoc extends Doc {
  orderId: string;
  provider: Provider;
  pgPaymentId: string;
  approvedAtMs: number;
}

export const PAYMENT_RECHECK_PAYMENTS = 'payment_recheck';

interface Check extends RecheckDoc {
  dueAt: number;
}

const LOAD_PAGE = 200;
const WINDOW_MS = RECHECK_OFFSETS_MS[RECHECK_OFFSETS_MS.length - 1]!;

/**
 * The projection that records every approval for the re-check schedule (collection
 * `payment_recheck`), handing each to `onApproval` as it is applied. The auditor folds it
 * without one, to compare the collection.
 */
export function recheckFeed(onApproval: (doc: RecheckDoc) => void = () => undefined): Projection {
  return {
    name: 'payment-recheck-feed',
    collections: [PAYMENT_RECHECK_PAYMENTS],
    apply: async (event, writer) => {
      if (event.type !== 'PaymentApproved') return;
      const d = event.data;
      const doc: RecheckDoc = {
        orderId: String(d.orderId),
        provider: d.provider as Provider,
        pgPaymentId: String(d.pgPaymentId),
        approvedAtMs: fromIso(String(d.approvedAt)),
      };
      writer.put(PAYMENT_RECHECK_PAYMENTS, doc.orderId, doc);
      onApproval(doc);
    },
  };
}

/**
 * Re-checks paid orders against the PG on the slow schedule above. Its `feed` is a projection
 * that records every approval in a read model and hands it to the schedule as the projector
 * applies it; on its first run the job also reads back the approvals still inside the window
 * (the read models persist, so a start replays nothing through the feed). The schedule is by
 * instant, so a tick costs one peek and memory holds only the window. A payment first seen after
 * some of its offsets passed (a restart) waits for its next one: a restart does not make up every
 * check at once. A check that fails is simply made at the next offset.
 */
@injectable()
export class PaymentRecheck implements DueJobSource {
  readonly name = PAYMENT_RECHECK;
  private readonly schedule = new MinHeap<Check>((check) => check.dueAt);
  /** The payments in the schedule: an approval fed twice (a batch applied again) or also loaded counts once. */
  private readonly scheduled = new Set<string>();
  private loading: Promise<void> | null = null;

  /** Records each approval and schedules it. */
  readonly feed: Projection = recheckFeed((doc) => this.track(doc));

  constructor(
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
  ) {}

  async nextDueAt(): Promise<number | null> {
    await this.load();
    return this.schedule.peek()?.dueAt ?? null;
  }

  async runDue(now: number): Promise<void> {
    await this.load();
    for (let done = 0; done < RUN_BUDGET; done++) {
      const next = this.schedule.peek();
      if (!next || next.dueAt > now) return;
      this.schedule.pop();
      await this.sync.sync(next.orderId, next.provider, next.pgPaymentId, `recheck:${next.orderId}:${now}`);
      if (!this.plan(next, now)) this.scheduled.delete(next.orderId);
    }
  }

  /** Once: the approvals already recorded whose window is still open, newest first. */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      const since = this.clock.now() - WINDOW_MS;
      let cursor: string | undefined;
      do {
        const page = await this.readModels.query<RecheckDoc>(PAYMENT_RECHECK_PAYMENTS, {
          where: {},
          orderBy: 'approvedAtMs',
          direction: 'desc',
          limit: LOAD_PAGE,
          cursor,
        });
        for (const doc of page.items) {
          if (doc.approvedAtMs < since) return;
          this.track(doc);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    })().catch((error: unknown) => {
      this.loading = null; // tried again on the next run
      throw error;
    });
    return this.loading;
  }

  private track(doc: RecheckDoc): void {
    if (this.scheduled.has(doc.orderId)) return;
    const check: Check = { ...doc, dueAt: 0 };
    if (this.plan(check, Math.max(check.approvedAtMs, this.clock.now()))) this.scheduled.add(doc.orderId);
  }

  /** Schedules the first check after `after`, if the window has one left. */
  private plan(check: Check, after: number): boolean {
    for (const offset of RECHECK_OFFSETS_MS) {
      const dueAt = check.approvedAtMs + offset;
      if (dueAt > after) {
        this.schedule.push({ ...check, dueAt });
        return true;
      }
    }
    return false;
  }
}
