/**
 * 4. Full replay. The target figure is A1's replay: every event read and folded into its
 * aggregate's state with the domain deciders, no read models. Beside it: a fresh Projector
 * rebuilding the in-memory read models (what every start of the embedded default does), and
 * raw readAll. All run on the event store the HTTP benchmarks left behind (service stopped).
 * Each figure is the median of `rounds` runs; CPU time is reported beside the wall time.
 */
import path from 'node:path';
import type { EventStore } from '../src/application/ports/event-store.port';
import { eventFundProjection } from '../src/application/projections/event-fund.projection';
import { ordersProjection } from '../src/application/projections/orders.projection';
import { Projector } from '../src/application/projections/projector';
import { subscriptionsProjection } from '../src/application/projections/subscriptions.projection';
import { pgNotificationDecider } from '../src/domain/notification/pg-notification.decider';
import { orderDecider } from '../src/domain/order/order.decider';
import { paymentDecider } from '../src/domain/payment/payment.decider';
import { pgPaymentClaimDecider } from '../src/domain/payment/pg-payment-claim.decider';
import { subscriptionDecider } from '../src/domain/subscription';
import { SqliteEventStore } from '../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { MemoryReadModelStore } from '../src/infrastructure/readmodels/memory/memory-read-model-store';
import type { BenchOutcome } from './lib/bench-context';

export const REPLAY_TARGET = 150_000;
const PAGE = 1_000;

interface Timed {
  events: number;
  seconds: number;
  cpuSeconds: number;
}

async function timed(run: () => Promise<number>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const events = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { events, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function rawReadAll(store: EventStore): Promise<number> {
  let position = 0;
  let count = 0;
  for (let page = await store.readAll(0, PAGE); page.length > 0; page = await store.readAll(position, PAGE)) {
    count += page.length;
    position = page[page.length - 1].globalPosition;
  }
  return count;
}

type Evolve = (state: unknown, event: { type: string; data: unknown }) => unknown;
const DECIDERS: Record<string, { evolve: Evolve; initialState: unknown }> = {
  order: orderDecider as never,
  payment: paymentDecider as never,
  subscription: subscriptionDecider as never,
  pgpayment: pgPaymentClaimDecider as never,
  pgnotice: pgNotificationDecider as never,
};

/** A1's replay: every event read and folded into its aggregate's state, no read models. */
async function foldAll(store: EventStore): Promise<number> {
  const states = new Map<string, unknown>();
  let position = 0;
  let count = 0;
  for (let page = await store.readAll(0, PAGE); page.length > 0; page = await store.readAll(position, PAGE)) {
    for (const event of page) {
      const decider = DECIDERS[event.streamId.slice(0, event.streamId.indexOf('-'))];
      if (!decider) continue;
      const state = states.get(event.streamId) ?? decider.initialState;
      states.set(event.streamId, decider.evolve(state, { type: event.type, data: event.data }));
    }
    count += page.length;
    position = page[page.length - 1].globalPosition;
  }
  return count;
}

async function projectAll(store: EventStore): Promise<number> {
  let count = 0;
  // The store itself, with readAll counting what it hands out (catch-up reads nothing else).
  const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
    readAll: async (from: number, limit: number) => {
      const page = await store.readAll(from, limit);
      count += page.length;
      return page;
    },
  });
  const projector = new Projector(counting, new MemoryReadModelStore(), [
    ordersProjection,
    eventFundProjection,
    subscriptionsProjection,
  ]);
  await projector.catchUp();
  return count;
}

function median(runs: Timed[]): Timed {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

/** An order's own stream as stored, for explaining an odd answer (e.g. a 202 under load). */
export async function orderEvents(store: EventStore, orderId: string) {
  return (await store.readStream(`order-${orderId}`)).map((e) => ({
    type: e.type,
    recordedAt: e.metadata.recordedAt,
    actor: e.metadata.actor,
    data: e.data,
  }));
}

export async function replay(
  dataDir: string,
  rounds = Number(process.env.BENCH_REPLAY_ROUNDS ?? 3),
  inspectOrders: string[] = [],
): Promise<BenchOutcome> {
  const store = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  try {
    const raw: Timed[] = [];
    const folded: Timed[] = [];
    const projected: Timed[] = [];
    // Alternate, so page-cache warmth and GC pressure fall on all alike.
    for (let i = 0; i < rounds; i++) {
      raw.push(await timed(() => rawReadAll(store)));
      folded.push(await timed(() => foldAll(store)));
      projected.push(await timed(() => projectAll(store)));
    }
    const r = median(raw);
    const f = median(folded);
    const p = median(projected);
    const perSec = (t: Timed) => t.events / t.seconds;
    const bench = '4 full replay';
    return {
      rows: [
        {
          bench,
          metric: 'replay, every aggregate folded',
          value: perSec(f),
          unit: 'events/s',
          target: { op: '>=', value: REPLAY_TARGET },
          note: `A1's replay: read all, fold each stream with its decider; ${Math.round(f.events / f.cpuSeconds).toLocaleString('en-US')} per CPU s`,
        },
        {
          bench,
          metric: 'read-model rebuild',
          value: perSec(p),
          unit: 'events/s',
          note: `${p.events.toLocaleString('en-US')} events in ${(p.seconds * 1000).toFixed(0)} ms; ${Math.round(p.events / p.cpuSeconds).toLocaleString('en-US')} per CPU s`,
        },
        {
          bench,
          metric: 'raw readAll',
          value: perSec(r),
          unit: 'events/s',
          note: `pages of ${PAGE}, JSON parsed; ${Math.round(r.events / r.cpuSeconds).toLocaleString('en-US')} per CPU s`,
        },
      ],
      details: {
        events: p.events,
        projectorEventsPerSec: Math.round(perSec(p)),
        foldEventsPerSec: Math.round(perSec(f)),
        rawReadAllEventsPerSec: Math.round(perSec(r)),
        runs: { raw, folded, projected },
        inspectedOrders: Object.fromEntries(
          await Promise.all(inspectOrders.map(async (id) => [id, await orderEvents(store, id)] as const)),
        ),
      },
    };
  } finally {
    await store.close();
  }
}
