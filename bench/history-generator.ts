/**
 * The history generator (`npm run bench -- --generate N [--data-dir <dir>]`): a realistic
 * history of about N events made through the REAL append path: the composition root, the
 * command handlers and deciders, the processes (order expiry, refund execution, entitlement
 * removal, subscription expiry, payment rechecks) and the SQLite event store with its hashes,
 * sealed by the sealer every 1,000 events. Only the PG is in-process (bench-pg.ts) and the
 * clock is moved by the generator, so a year of shop traffic takes minutes, and the audit of
 * the result is clean.
 *
 * The shop: many buyers (one per 30 events) buying 월간 베이직 or 프리미엄 through Toss or
 * PortOne, giving to the event fund, a few cards declined and paid again, a few orders left to
 * expire, refunds full and partial (by the buyer and by an admin), subscriptions starting,
 * extending, upgrading and expiring as the months pass. Activities run in waves of
 * `concurrency` at one instant (so their appends share commits, as under load); the clock moves
 * between waves, running every job that falls due on the way.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import type { Clock } from '../src/application/ports/clock.port';
import { compose } from '../src/infrastructure/composition/compose';
import { loadSettings } from '../src/infrastructure/config/settings';
import { SqliteEventStore } from '../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { EVENT_STORE_FORMAT } from '../src/infrastructure/eventstore/sqlite/sqlite-event-schema';
import { MemoryIdempotencyStore } from '../src/infrastructure/idempotency/memory-idempotency-store';
import { MemoryReadModelStore } from '../src/infrastructure/readmodels/memory/memory-read-model-store';
import type { Application } from '../src/application/application';
import { BenchPg } from './lib/bench-pg';

/** Bumped when what the generator makes changes: a cached history of another version is made again. */
export const GENERATOR_VERSION = 1;
/** What the cache key holds besides N: the generator's version and the event store's format. */
export const HISTORY_SCHEMA = `g${GENERATOR_VERSION}-s${EVENT_STORE_FORMAT}`;
export const HISTORY_FILE = 'history.json';

const DAY = 24 * 3_600_000;
const HISTORY_SPAN_MS = 365 * DAY;
/** The history's last day ends about when it is made, so a service started on it is current. */
const historyStart = () => Math.floor(Date.now() / DAY) * DAY - HISTORY_SPAN_MS - 8 * DAY;

export interface GeneratedHistory {
  schema: string;
  events: number;
  /** Activities by kind (a purchase, a refund...). */
  activities: Record<string, number>;
  /** The history's clock when it ended: a service started on it continues from there. */
  endsAt: string;
  seconds: number;
  failures: number;
}

class MovingClock implements Clock {
  constructor(private instant: number) {}
  now(): number {
    return this.instant;
  }
  moveTo(instant: number): void {
    this.instant = Math.max(this.instant, instant);
  }
}

/** mulberry32: the same N makes the same mix of activities. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Provider = 'toss' | 'portone';

class Shop {
  readonly activities: Record<string, number> = {};
  failures = 0;
  readonly failureSamples: string[] = [];

  constructor(
    private readonly app: Application,
    private readonly pgs: Record<Provider, BenchPg>,
    private readonly rnd: () => number,
  ) {}

  /** One buyer's visit at the current instant. */
  async visit(userId: string): Promise<void> {
    const r = this.rnd();
    const provider: Provider = this.rnd() < 0.7 ? 'toss' : 'portone';
    const plan = this.rnd() < 0.7 ? 1 : 2;
    const gift = 1_000 * (1 + Math.floor(this.rnd() * 100));
    let kind: string;
    try {
      if (r < 0.6) {
        kind = `subscription via ${provider}`;
        await this.purchase(userId, plan, provider);
      } else if (r < 0.78) {
        kind = `event fund via ${provider}`;
        await this.purchase(userId, 3, provider, gift);
      } else if (r < 0.81) {
        kind = 'order left to expire';
        await this.placeOrder(userId, plan);
      } else if (r < 0.84) {
        kind = 'card declined, paid again';
        const order = await this.placeOrder(userId, plan);
        const declined = this.pgs.toss.authorize(order.orderId, order.amount, true);
        await this.confirm(userId, 'toss', order.orderId, declined, order.amount).catch(() => undefined);
        await this.confirm(
          userId,
          'toss',
          order.orderId,
          this.pgs.toss.authorize(order.orderId, order.amount),
          order.amount,
        );
      } else if (r < 0.92) {
        kind = 'full refund by the buyer';
        const orderId = await this.purchase(userId, plan, provider);
        await this.refund(orderId, { userId, role: 'user' });
      } else if (r < 0.97) {
        kind = 'partial refund of a gift, then the rest by an admin';
        const orderId = await this.purchase(userId, 3, provider, Math.max(2_000, gift));
        await this.refund(orderId, { userId, role: 'user' }, 1_000);
        if (this.rnd() < 0.5) await this.refund(orderId, { userId: 'ops-admin', role: 'admin' });
      } else {
        kind = 'partial refund of a subscription by an admin';
        const orderId = await this.purchase(userId, plan, provider);
        await this.refund(orderId, { userId: 'ops-admin', role: 'admin' }, 3_000);
      }
    } catch (error) {
      this.failures++;
      if (this.failureSamples.length < 5) this.failureSamples.push(String(error));
      return;
    }
    this.activities[kind] = (this.activities[kind] ?? 0) + 1;
  }

  private async placeOrder(userId: string, planId: number, amount?: number) {
    const { order } = await this.app.placeOrder.handle({
      requestId: randomUUID(),
      userId,
      actor: { kind: 'user', userId, role: 'user' },
      planId,
      amount,
    });
    return order.order;
  }

  private async purchase(
    userId: string,
    planId: number,
    provider: Provider,
    amount?: number,
  ): Promise<string> {
    const order = await this.placeOrder(userId, planId, amount);
    const pgPaymentId = this.pgs[provider].authorize(order.orderId, order.amount);
    await this.confirm(userId, provider, order.orderId, pgPaymentId, order.amount);
    return order.orderId;
  }

  private async confirm(
    userId: string,
    provider: Provider,
    orderId: string,
    pgPaymentId: string,
    amount: number,
  ) {
    const result = await this.app.confirmPayment.handle({
      requestId: randomUUID(),
      userId,
      actor: { kind: 'user', userId, role: 'user' },
      provider,
      orderId,
      pgPaymentId,
      amount: provider === 'toss' ? amount : null,
    });
    if (result.kind !== 'approved') throw new Error(`confirm of ${orderId}: ${result.kind}`);
  }

  private async refund(orderId: string, actor: { userId: string; role: 'user' | 'admin' }, amount?: number) {
    const outcome = await this.app.requestRefund.handle({
      requestId: randomUUID(),
      actor,
      orderId,
      amount,
      reason: amount === undefined ? '단순 변심' : '부분 환불',
    });
    if (outcome.status !== 'COMPLETED') throw new Error(`refund of ${orderId}: ${outcome.status}`);
  }
}

export interface GenerateOptions {
  events: number;
  dataDir: string;
  /** Visits per wave (default 128). */
  concurrency?: number;
  onProgress?: (events: number) => void;
}

/** Makes the history in `dataDir` (which must not hold one) and describes it in history.json. */
export async function generateHistory(options: GenerateOptions): Promise<GeneratedHistory> {
  const started = performance.now();
  const { events: target, dataDir } = options;
  const concurrency = options.concurrency ?? 128;
  fs.mkdirSync(dataDir, { recursive: true });
  if (fs.existsSync(path.join(dataDir, 'events.db'))) throw new Error(`${dataDir} already holds a history`);
  // Seals come from the every-1,000-events trigger; the interval one (a day here) only for quiet times.
  const settings = loadSettings({
    DATA_DIR: dataDir,
    PORT: '3999',
    LOG_LEVEL: 'silent',
    AUDIT_SEAL_INTERVAL_SECONDS: '86400',
  });
  const start = historyStart();
  const clock = new MovingClock(start);
  const pgs = { toss: new BenchPg('toss', clock), portone: new BenchPg('portone', clock) };
  const background: string[] = [];
  const composition = await compose(settings, {
    adapters: {
      clock,
      sandboxClock: null,
      eventStore: SqliteEventStore.open(path.join(dataDir, 'events.db')),
      readModels: new MemoryReadModelStore(),
      idempotency: new MemoryIdempotencyStore(),
      gateways: [pgs.toss, pgs.portone],
    },
    report: (source, error) => {
      if (background.length < 20) background.push(`${source}: ${String(error)}`);
    },
  });
  const { app } = composition;
  await app.projector.start();
  const shop = new Shop(app, pgs, random(target));
  const buyers = Math.max(concurrency * 2, Math.round(target / 30));
  let nextBuyer = 0;
  const advance = (to: number) => app.scheduler.advanceTo(to, (instant) => clock.moveTo(instant));
  try {
    let head = await app.eventStore.headPosition();
    while (head < target) {
      // Distinct buyers within a wave: a buyer's visits never race each other.
      const wave: Promise<void>[] = [];
      for (let i = 0; i < concurrency; i++) wave.push(shop.visit(`buyer-${(nextBuyer++ % buyers) + 1}`));
      await Promise.all(wave);
      head = await app.eventStore.headPosition();
      options.onProgress?.(head);
      if (shop.failures > 100 && shop.failures > head / 500)
        throw new Error(`too many failed visits (${shop.failures}), e.g. ${shop.failureSamples.join('; ')}`);
      await advance(start + Math.min(1, head / target) * HISTORY_SPAN_MS);
    }
    // A quiet week and a day at the end: every recheck, expiry and refund step is done, so a
    // service started on the history owes nothing to a PG that never knew these payments.
    await advance(clock.now() + 8 * DAY);
  } finally {
    await composition.close();
  }
  if (background.length > 0) throw new Error(`background failures: ${background.slice(0, 3).join('; ')}`);
  const store = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const events = await store.headPosition();
  await store.close();
  const history: GeneratedHistory = {
    schema: HISTORY_SCHEMA,
    events,
    activities: shop.activities,
    endsAt: new Date(clock.now()).toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    failures: shop.failures,
  };
  fs.writeFileSync(path.join(dataDir, HISTORY_FILE), `${JSON.stringify(history, null, 2)}\n`);
  return history;
}
