/**
 * 4. Full replay. The target figure is A1's replay: every event read and folded into its
 * aggregate's state with the domain deciders, no read models, as the auditor runs it
 * (SqliteParallelReplay: streams split across one worker thread per CPU). Beside it: the same
 * fold on one thread through the EventStore port, a fresh Projector rebuilding the in-memory
 * read models (what every start of the embedded default does), and raw readAll. All run on the
 * event store the HTTP benchmarks left behind (service stopped). Each figure is the median of
 * `rounds` runs; CPU time (all threads) is reported beside the wall time.
 */
import path from 'node:path';
import type { EventStore } from '../src/application/ports/event-store.port';
import { eventFundProjection } from '../src/application/event-fund/event-fund.projection';
import { ordersProjection } from '../src/application/order/orders.projection';
import { Projector } from '../src/application/event-sourcing/projector';
import { subscriptionsProjection } from '../src/application/subscription/subscriptions.projection';
import type { ReplaySummary } from '../src/application/audit/replay-summary';
import { evolverFor } from '../src/application/audit/stream-deciders';
import { SqliteParallelReplay } from '../src/infrastructure/eventstore/sqlite/sqlite-parallel-replay';
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

/** The same fold on this thread, through the port: what the parallel replay is compared with. */
async function foldAll(store: EventStore): Promise<number> {
  const states = new Map<string, unknown>();
  let position = 0;
  let count = 0;
  for (let page = await store.readAll(0, PAGE); page.length > 0; page = await store.readAll(position, PAGE)) {
    for (const event of page) {
      const decider = evolverFor(event.streamId);
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
    { name: 'orders', projections: [ordersProjection, eventFundProjection] },
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
  const file = path.join(dataDir, 'events.db');
  const store = SqliteEventStore.open(file);
  // One replay object for all rounds: its workers start in the first round (timed) and are
  // reused after, as the single-thread fold reuses this process's warm JIT.
  const parallel = new SqliteParallelReplay(file);
  try {
    if ((await store.headPosition()) === 0) {
      throw new Error(
        'no events to replay: the replay reads the event store the HTTP benchmarks leave behind, ' +
          'so run it with one of them (e.g. BENCH_ONLY=confirm,replay)',
      );
    }
    const raw: Timed[] = [];
    const folded: Timed[] = [];
    const replayed: Timed[] = [];
    const projected: Timed[] = [];
    let summary: ReplaySummary | undefined;
    // Alternate, so page-cache warmth and GC pressure fall on all alike.
    for (let i = 0; i < rounds; i++) {
      raw.push(await timed(() => rawReadAll(store)));
      replayed.push(
        await timed(async () => {
          summary = await parallel.replay();
          return summary.events;
        }),
      );
      folded.push(await timed(() => foldAll(store)));
      projected.push(await timed(() => projectAll(store)));
    }
    const r = median(raw);
    const x = median(replayed);
    const f = median(folded);
    const p = median(projected);
    const perSec = (t: Timed) => t.events / t.seconds;
    const perCpu = (t: Timed) => Math.round(t.events / t.cpuSeconds).toLocaleString('en-US');
    const workers = summary?.partitions.length ?? 0;
    const bench = '4 full replay';
    return {
      rows: [
        {
          bench,
          metric: 'replay, every aggregate folded',
          value: perSec(x),
          unit: 'events/s',
          target: { op: '>=', value: REPLAY_TARGET },
          note: `A1's replay: streams split across ${workers} worker threads, each reads and folds its own; first round (workers starting) ${Math.round(perSec(replayed[0])).toLocaleString('en-US')}/s; ${perCpu(x)} per CPU s`,
        },
        {
          bench,
          metric: 'replay, one thread (for comparison)',
          value: perSec(f),
          unit: 'events/s',
          note: `the same fold on the main thread through EventStore.readAll; ${perCpu(f)} per CPU s`,
        },
        {
          bench,
          metric: 'read-model rebuild',
          value: perSec(p),
          unit: 'events/s',
          note: `${p.events.toLocaleString('en-US')} events in ${(p.seconds * 1000).toFixed(0)} ms; ${perCpu(p)} per CPU s`,
        },
        {
          bench,
          metric: 'raw readAll',
          value: perSec(r),
          unit: 'events/s',
          note: `pages of ${PAGE}, JSON parsed; ${perCpu(r)} per CPU s`,
        },
      ],
      details: {
        events: p.events,
        replayEventsPerSec: Math.round(perSec(x)),
        replayFirstRoundEventsPerSec: Math.round(perSec(replayed[0])),
        replayWorkers: workers,
        replayPartitions: summary?.partitions,
        replayFailures: summary?.failures.length,
        oneThreadFoldEventsPerSec: Math.round(perSec(f)),
        projectorEventsPerSec: Math.round(perSec(p)),
        rawReadAllEventsPerSec: Math.round(perSec(r)),
        runs: { raw, replayed, folded, projected },
        inspectedOrders: Object.fromEntries(
          await Promise.all(inspectOrders.map(async (id) => [id, await orderEvents(store, id)] as const)),
        ),
      },
    };
  } finally {
    await parallel.close();
    await store.close();
  }
}
