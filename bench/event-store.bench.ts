/**
 * SQLite event store micro benchmark: durable appends with and without group commit, and a
 * full replay through readAll. `npm run bench` (compiled), or run dist/bench/event-store.bench.js.
 * BENCH_DIR picks the disk (default: the OS temp dir); fsync cost depends on it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventToAppend } from '../src/application/ports/event-store.port';
import { SqliteEventStore } from '../src/infrastructure/eventstore/sqlite/sqlite-event-store';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const APPENDS_PER_COMMAND = 3;
const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 200_000);

function event(type: string): EventToAppend {
  return {
    type,
    data: {
      orderId: `ord_${randomUUID()}`,
      planId: 2,
      orderName: '월간 프리미엄',
      amount: 19900,
      currency: 'KRW',
    },
    metadata: {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', userId: 'user-1', role: 'user' },
      recordedAt: '2025-03-01T09:00:00.000+09:00',
      prevHash: 'ab'.repeat(32),
      hash: 'cd'.repeat(32),
    },
  };
}

/** CLIENTS concurrent loops, each running "commands" of APPENDS_PER_COMMAND sequential appends. */
async function commands(dir: string, groupCommit: boolean) {
  const store = SqliteEventStore.open(path.join(dir, `commands-${groupCommit}.db`), { groupCommit });
  const deadline = Date.now() + DURATION_MS;
  let done = 0;
  const client = async () => {
    while (Date.now() < deadline) {
      const stream = `order-${randomUUID()}`;
      let expected: number | 'no_stream' = 'no_stream';
      for (let i = 0; i < APPENDS_PER_COMMAND; i++) {
        expected = (await store.append(stream, [event('Step')], expected)).nextRevision;
      }
      done++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (Date.now() - started) / 1000;
  await store.close();
  return {
    commandsPerSec: Math.round(done / seconds),
    appendsPerSec: Math.round((done * APPENDS_PER_COMMAND) / seconds),
  };
}

async function replay(dir: string) {
  const store = SqliteEventStore.open(path.join(dir, 'replay.db'));
  const streams = REPLAY_EVENTS / 10;
  for (let s = 0; s < streams; s += 1000) {
    // Concurrent appends of one turn share a commit: a fast way to fill the file.
    await Promise.all(
      Array.from({ length: Math.min(1000, streams - s) }, () =>
        store.append(
          `order-${randomUUID()}`,
          Array.from({ length: 10 }, () => event('Filled')),
          'no_stream',
        ),
      ),
    );
  }
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let position = 0;
  let count = 0;
  for (let page = await store.readAll(0, 1000); page.length > 0; page = await store.readAll(position, 1000)) {
    count += page.length;
    position = page[page.length - 1].globalPosition;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  await store.close();
  // CPU time too: on a shared machine the wall clock also measures the neighbours.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    events: count,
    eventsPerSec: Math.round(count / seconds),
    perCpuSec: Math.round(count / cpuSeconds),
  };
}

export async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'ledgerline-bench-'));
  try {
    console.log(
      `SQLite event store, ${CLIENTS} concurrent clients, ${APPENDS_PER_COMMAND} appends per command`,
    );
    const grouped = await commands(dir, true);
    console.log(
      `  group commit on : ${grouped.appendsPerSec} appends/s (${grouped.commandsPerSec} commands/s)`,
    );
    const single = await commands(dir, false);
    console.log(
      `  group commit off: ${single.appendsPerSec} appends/s (${single.commandsPerSec} commands/s)`,
    );
    const replayed = await replay(dir);
    console.log(
      `  replay readAll  : ${replayed.eventsPerSec} events/s wall, ${replayed.perCpuSec} per CPU second ` +
        `(${replayed.events} events, pages of 1000)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
