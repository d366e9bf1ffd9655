/**
 * 5. A year of history (issue #10 point 8, issue #11 point 5): on a history of
 * BENCH_HISTORY_EVENTS (default 1,000,000) events made by the history generator (cached between
 * runs, see lib/history-cache.ts):
 * - the audit (`npm run audit`'s composition in a child process): wall time and peak memory;
 * - bytes per event on disk (events.db / events);
 * - the service on a copy of it with SQLite read models: the first start rebuilds every read
 *   model (events/s), the second resumes them (start to ready, resident memory after start);
 * - history reads on that service;
 * - Toss confirms at saturation on it against two services with the in-memory read models: one
 *   on a second copy of the same history (same event store; every read model rebuilt in memory
 *   at its start), the like-for-like comparison that carries the target, and one on an empty
 *   DATA_DIR, the bench's usual figure, for context (it differs in the event store's size too).
 *   Each has a PG sandbox of its own (for its webhooks); all three run side by side, and
 *   BENCH_CONFIRM_ROUNDS (default 6) rounds each run `confirmSaturation` once on each, the order
 *   rotating, the others settled with the measured one and idle meanwhile, with buyers new to
 *   the round (see confirm-rounds.ts). One run swings about ±10% on a 2-core VM, so the rows give
 *   each service's median and range over the rounds: PASS/FAIL compares the medians (history ≥
 *   90% of the memory store on the same history), ratio rows say whether the ranges overlap, and
 *   service CPU per confirm (steadier than throughput) is given for all three. latest.json keeps
 *   every round's outcome.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  alternatingConfirms,
  confirmRounds,
  describeSpread,
  rangesOverlap,
  spreadOf,
  type RoundRun,
  type Spread,
} from './confirm-rounds';
import { historyReads } from './history-reads.bench';
import type { AuditRun } from './lib/audit-child';
import { benchContext, type BenchContext, type BenchOutcome } from './lib/bench-context';
import { cachedHistory } from './lib/history-cache';
import { formatNumber, type Row } from './lib/report';
import {
  freePort,
  freshDataDir,
  startSandboxProcess,
  startServiceProcess,
  type ServiceProcess,
} from './lib/service-process';

export const AUDIT_SECONDS_TARGET = 10;
export const START_TO_READY_TARGET_S = 1;
export const RSS_AFTER_START_TARGET_MIB = 250;
export const BYTES_PER_EVENT_TARGET = 500;
/** "Within noise": a tenth below the memory store's figure (on the same history) at most. */
export const CONFIRMS_SHARE_OF_MEMORY_TARGET = 0.9;
/** The rounds' labels of the three services confirms are measured on. */
const HISTORY = 'history';
const MEMORY_ON_HISTORY = 'memory on the history';
const MEMORY_FRESH = 'memory, fresh';

const AUDIT_CHILD = path.resolve(__dirname, 'lib', 'audit-child.js');
const BENCH = '5 history of 1M';

export function historyEvents(env = process.env): number {
  return Number(env.BENCH_HISTORY_EVENTS ?? 1_000_000);
}

async function runAudit(dataDir: string): Promise<AuditRun & { wallSeconds: number }> {
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    // A larger young generation: the audit allocates per event and keeps much; 15.9 s -> 14.4 s on 1M events.
    const child = spawn(process.execPath, ['--max-semi-space-size=64', AUDIT_CHILD, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`the audit exited with ${code}`)),
    );
  });
  return { ...(JSON.parse(output.trim()) as AuditRun), wallSeconds: (performance.now() - started) / 1000 };
}

/** A copy of the history's files, its sandbox clock set to where the history ended. */
function copyHistory(from: string, endsAt: string): string {
  const dir = freshDataDir();
  for (const file of fs.readdirSync(from)) {
    if (file.startsWith('events.db') || file.endsWith('.pem'))
      fs.copyFileSync(path.join(from, file), path.join(dir, file));
  }
  fs.writeFileSync(
    path.join(dir, 'sandbox-clock.json'),
    JSON.stringify({ offsetMs: Math.max(0, Date.parse(endsAt) - Date.now()) }),
  );
  return dir;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

/** Spawn to /health/ready answering 200. */
async function startUntilReady(
  pgUrl: string,
  port: number,
  dataDir: string,
  readModels: 'sqlite' | 'memory',
): Promise<{ service: ServiceProcess; readySeconds: number }> {
  const started = Date.now();
  const service = await startServiceProcess({
    port,
    dataDir,
    healthTimeoutMs: 600_000,
    // BENCH_CPU_PROF=1: profiles of these services too, beside run-all's.
    nodeArgs:
      process.env.BENCH_CPU_PROF === '1'
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${path.resolve(__dirname, '..', '..', 'bench', 'results', 'profiles')}`,
          ]
        : [],
    env: {
      READ_MODELS: readModels,
      LOG_LEVEL: 'warn',
      TOSS_API_BASE_URL: `${pgUrl}/sandbox/toss`,
      PORTONE_API_BASE_URL: `${pgUrl}/sandbox/portone`,
    },
  });
  for (;;) {
    const res = await fetch(`${service.url}/health/ready`).catch(() => null);
    await res?.body?.cancel();
    if (res?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { service, readySeconds: (Date.now() - started) / 1000 };
}

interface Started {
  readySeconds: number;
  /** VmRSS 3 s after ready. */
  rssMiB: number;
}

/**
 * A service with the in-memory read models and a PG sandbox of its own (its webhooks), on
 * `dataDir`, or on an empty DATA_DIR (removed afterwards) when null.
 */
async function withMemoryService<T>(
  dataDir: string | null,
  work: (ctx: BenchContext, started: Started) => Promise<T>,
): Promise<T> {
  return withPg(async (pg, port) => {
    const dir = dataDir ?? freshDataDir();
    const { service, readySeconds } = await startUntilReady(pg.url, port, dir, 'memory');
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return await work(benchContext(service, pg), { readySeconds, rssMiB: rssMiB(service.pid) });
    } finally {
      await service.stop();
      if (dataDir === null) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function withPg<T>(work: (pg: ServiceProcess, port: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const pg = await startSandboxProcess(`http://127.0.0.1:${port}`);
  try {
    return await work(pg, port);
  } finally {
    await pg.stop();
    fs.rmSync(pg.dataDir, { recursive: true, force: true });
  }
}

export async function history1m(
  log: (message: string) => void,
  events = historyEvents(),
): Promise<BenchOutcome> {
  const rounds = confirmRounds();
  const { dir, history } = await cachedHistory(events, log);
  const rows: Row[] = [];
  const eventsDb = path.join(dir, 'events.db');
  const bytesPerEvent = fs.statSync(eventsDb).size / history.events;
  const n = history.events.toLocaleString('en-US');

  log(`history of ${n} events (${dir}): auditing…`);
  const audit = await runAudit(dir);
  rows.push(
    {
      bench: BENCH,
      metric: 'audit, wall time',
      value: audit.wallSeconds,
      unit: 's',
      target: { op: '<=', value: AUDIT_SECONDS_TARGET },
      note: `${audit.events.toLocaleString('en-US')} events, ${audit.streams.toLocaleString('en-US')} streams, ${audit.seals} seals; ${audit.findings === 0 ? 'clean' : `${audit.findings} FINDINGS ${JSON.stringify(audit.findingsByKind)}`}; ${audit.seconds.toFixed(1)} s after the process started`,
    },
    {
      bench: BENCH,
      metric: 'audit, peak memory',
      value: Math.round(audit.maxRssKiB / 1024),
      unit: 'MiB',
      note: 'maxRSS of the audit process',
    },
    {
      bench: BENCH,
      metric: 'bytes per event on disk',
      value: Math.round(bytesPerEvent),
      unit: 'B',
      target: { op: '<=', value: BYTES_PER_EVENT_TARGET },
      note: `events.db ${(fs.statSync(eventsDb).size / 2 ** 20).toFixed(0)} MiB`,
    },
  );

  const dataDir = copyHistory(dir, history.endsAt);
  const memoryDir = copyHistory(dir, history.endsAt);
  const details: Record<string, unknown> = { history, audit, bytesPerEvent, dataDir };
  try {
    const onHistory = await withPg(async (pg, port) => {
      log('first start on the copy: every SQLite read model rebuilt…');
      const first = await startUntilReady(pg.url, port, dataDir, 'sqlite');
      await first.service.stop();
      log(`rebuilt in ${first.readySeconds.toFixed(1)} s; second start…`);
      const second = await startUntilReady(pg.url, port, dataDir, 'sqlite');
      const service = second.service;
      try {
        const rssAtReady = rssMiB(service.pid);
        // What it holds once the first jobs ran (the sealer loads its tree on its first turn).
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const rssSettled = rssMiB(service.pid);
        const ctx = benchContext(service, pg);
        const reads = await historyReads(ctx);
        log(
          'the in-memory read models on a second copy of the history (rebuilt at start), and on an empty DATA_DIR…',
        );
        const { runs, memoryStarted } = await withMemoryService(memoryDir, (onHistory, memoryStarted) =>
          withMemoryService(null, async (fresh) => {
            log(`${rounds} rounds of confirms on each of the three…`);
            const contenders = [
              { label: HISTORY, ctx },
              { label: MEMORY_ON_HISTORY, ctx: onHistory },
              { label: MEMORY_FRESH, ctx: fresh },
            ];
            return { runs: await alternatingConfirms(contenders, rounds, log), memoryStarted };
          }),
        );
        return { first, second, rssAtReady, rssSettled, reads, runs, memoryStarted };
      } finally {
        await service.stop();
      }
    });
    const rebuildRate = history.events / onHistory.first.readySeconds;
    rows.push(
      {
        bench: BENCH,
        metric: 'read-model rebuild (first start)',
        value: rebuildRate,
        unit: 'events/s',
        note: `spawn to ready ${onHistory.first.readySeconds.toFixed(1)} s, READ_MODELS=sqlite, nothing to resume`,
      },
      {
        bench: BENCH,
        metric: 'start to ready',
        value: onHistory.second.readySeconds,
        unit: 's',
        target: { op: '<=', value: START_TO_READY_TARGET_S },
        note: 'spawn to /health/ready 200, READ_MODELS=sqlite resumed',
      },
      {
        bench: BENCH,
        metric: 'resident memory after start',
        value: Math.max(onHistory.rssAtReady, onHistory.rssSettled),
        unit: 'MiB',
        target: { op: '<=', value: RSS_AFTER_START_TARGET_MIB },
        note: `VmRSS ${onHistory.rssAtReady} MiB at ready, ${onHistory.rssSettled} MiB 3 s later`,
      },
      ...onHistory.reads.rows
        .filter((r) => r.metric === 'reads/s')
        .map((r) => ({ ...r, bench: BENCH, metric: 'history reads/s' })),
      ...comparisonRows(onHistory.runs, onHistory.memoryStarted),
    );
    Object.assign(details, {
      firstStartSeconds: onHistory.first.readySeconds,
      startToReadySeconds: onHistory.second.readySeconds,
      rssAtReadyMiB: onHistory.rssAtReady,
      rssSettledMiB: onHistory.rssSettled,
      reads: onHistory.reads.details,
      confirmRounds: onHistory.runs,
      memoryOnHistoryStarted: onHistory.memoryStarted,
    });
  } finally {
    if (process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(memoryDir, { recursive: true, force: true });
  }
  return { rows, details };
}

/**
 * The confirm comparison: each service's median over the rounds, the target on the history's
 * against the memory store's on the same history, each ratio beside the two ranges, and service
 * CPU per confirm, which swings less than throughput.
 */
function comparisonRows(runs: RoundRun[], memoryStarted: Started): Row[] {
  const of = (label: string, pick: (run: RoundRun) => number) =>
    spreadOf(runs.filter((run) => run.label === label).map(pick));
  const perSec = (label: string) => of(label, (run) => run.confirmsPerSec);
  const cpu = (label: string) => of(label, (run) => run.cpuMsPerConfirm);
  const onHistory = perSec(HISTORY);
  const memory = perSec(MEMORY_ON_HISTORY);
  const fresh = perSec(MEMORY_FRESH);
  const rounds = `median of ${onHistory.values.length} rounds`;
  const ms = (value: number) => value.toFixed(2);
  const failed = runs.filter((run) => !run.allOk);
  const idle = Math.max(...runs.map((run) => run.idleCpuSeconds));
  const ratioRow = (metric: string, label: string, other: Spread): Row => {
    const byRound = runs
      .filter((run) => run.label === HISTORY)
      .map((run) => {
        const theirs = runs.find((o) => o.round === run.round && o.label === label);
        return theirs ? `${Math.round((100 * run.confirmsPerSec) / theirs.confirmsPerSec)}%` : '?';
      });
    const apart = rangesOverlap(onHistory, other)
      ? 'they overlap, the gap is within the noise'
      : 'they are apart, the gap exceeds the noise';
    return {
      bench: BENCH,
      metric,
      value: Math.round((1000 * onHistory.median) / other.median) / 10,
      unit: '%',
      note: `of the medians; ranges: history ${formatNumber(onHistory.min)}–${formatNumber(onHistory.max)}/s, ${label} ${formatNumber(other.min)}–${formatNumber(other.max)}/s: ${apart}; round by round ${byRound.join(', ')}`,
    };
  };
  const cpuRow = (metric: string, label: string, note: string): Row => {
    const spread = cpu(label);
    return {
      bench: BENCH,
      metric,
      value: spread.median,
      unit: 'ms',
      note: `${rounds}: ${describeSpread(spread, ms)}${note}`,
    };
  };
  return [
    {
      bench: BENCH,
      metric: 'confirms/s on the history',
      value: onHistory.median,
      unit: '/s',
      target: { op: '>=', value: Math.round(CONFIRMS_SHARE_OF_MEMORY_TARGET * memory.median) },
      note: `${rounds}: ${describeSpread(onHistory)}; READ_MODELS=sqlite; target: within a tenth of the memory store's median on the same history`,
    },
    {
      bench: BENCH,
      metric: 'confirms/s, memory store on the history',
      value: memory.median,
      unit: '/s',
      note: `${rounds}: ${describeSpread(memory)}; READ_MODELS=memory on a copy of the same history (ready after ${memoryStarted.readySeconds.toFixed(1)} s, VmRSS ${memoryStarted.rssMiB} MiB 3 s later)`,
    },
    ratioRow('confirms/s, history / memory store on it', MEMORY_ON_HISTORY, memory),
    {
      bench: BENCH,
      metric: 'confirms/s, memory store (fresh)',
      value: fresh.median,
      unit: '/s',
      note: `${rounds}: ${describeSpread(fresh)}; READ_MODELS=memory on an empty DATA_DIR: a small event store too`,
    },
    ratioRow('confirms/s, history / memory store (fresh)', MEMORY_FRESH, fresh),
    cpuRow('service CPU per confirm on the history', HISTORY, '; with the follow-up after each run'),
    cpuRow('service CPU per confirm, memory on the history', MEMORY_ON_HISTORY, ''),
    cpuRow(
      'service CPU per confirm, memory store (fresh)',
      MEMORY_FRESH,
      `; the idle services used at most ${idle} s of CPU together during a measured run of another`,
    ),
    {
      bench: BENCH,
      metric: 'confirms all 200, every round?',
      value: failed.length === 0 ? 'yes' : 'NO',
      unit: '',
      note: failed.map((run) => `round ${run.round} ${run.label}: ${run.failure}`).join('; '),
    },
  ];
}
