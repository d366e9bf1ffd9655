/**
 * 5. A year of history (issue #10 point 8, issue #11 point 5): on a history of
 * BENCH_HISTORY_EVENTS (default 1,000,000) events made by the history generator (cached between
 * runs, see lib/history-cache.ts):
 * - the audit (`npm run audit`'s composition in a child process): wall time and peak memory;
 * - bytes per event on disk (events.db / events);
 * - the service on a copy of it with SQLite read models: the first start rebuilds every read
 *   model (events/s), the second resumes them (start to ready, resident memory after start);
 * - history reads on that service;
 * - Toss confirms at saturation on it against a fresh service with the in-memory read models,
 *   like with like: the memory-store service (with a PG sandbox of its own, for its webhooks)
 *   runs beside the history's, and BENCH_CONFIRM_ROUNDS (default 5) rounds each run
 *   `confirmSaturation` once on each, the one measured first alternating (history then memory,
 *   memory then history, …), the other settled with it (before its warm-up and its measured
 *   run) and idle meanwhile, with buyers new to the round (see confirm-rounds.ts). One run swings about ±10% on a 2-core VM, so the rows give each
 *   kind's median and range over the rounds: PASS/FAIL compares the medians (history ≥ 90% of
 *   memory), a ratio row says whether the ranges overlap, and service CPU per confirm (steadier
 *   than throughput) is given for both. latest.json keeps every round's outcome.
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
/** "Within noise": a tenth below the memory store's figure at most. */
export const CONFIRMS_SHARE_OF_MEMORY_TARGET = 0.9;

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

/** A fresh service with the in-memory read models and a PG sandbox of its own (its webhooks). */
async function withMemoryService<T>(work: (ctx: BenchContext) => Promise<T>): Promise<T> {
  return withPg(async (pg, port) => {
    const fresh = freshDataDir();
    const { service } = await startUntilReady(pg.url, port, fresh, 'memory');
    try {
      return await work(benchContext(service, pg));
    } finally {
      await service.stop();
      fs.rmSync(fresh, { recursive: true, force: true });
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
          `a fresh service with the in-memory read models beside it; ${rounds} rounds of confirms on each…`,
        );
        const runs = await withMemoryService((memory) =>
          alternatingConfirms({ label: 'history', ctx }, { label: 'memory', ctx: memory }, rounds, log),
        );
        return { first, second, rssAtReady, rssSettled, reads, runs };
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
      ...comparisonRows(onHistory.runs),
    );
    Object.assign(details, {
      firstStartSeconds: onHistory.first.readySeconds,
      startToReadySeconds: onHistory.second.readySeconds,
      rssAtReadyMiB: onHistory.rssAtReady,
      rssSettledMiB: onHistory.rssSettled,
      reads: onHistory.reads.details,
      confirmRounds: onHistory.runs,
    });
  } finally {
    if (process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows, details };
}

/**
 * The confirm comparison: each kind's median over the rounds (PASS/FAIL on the medians), their
 * ratio beside the two ranges, and service CPU per confirm, which swings less than throughput.
 */
function comparisonRows(runs: RoundRun[]): Row[] {
  const of = (label: string, pick: (run: RoundRun) => number) =>
    spreadOf(runs.filter((run) => run.label === label).map(pick));
  const onHistory = of('history', (run) => run.confirmsPerSec);
  const memory = of('memory', (run) => run.confirmsPerSec);
  const cpuOnHistory = of('history', (run) => run.cpuMsPerConfirm);
  const cpuMemory = of('memory', (run) => run.cpuMsPerConfirm);
  const rounds = `median of ${onHistory.values.length} rounds`;
  const byRound = runs
    .filter((run) => run.label === 'history')
    .map((run) => {
      const other = runs.find((o) => o.round === run.round && o.label === 'memory');
      return other ? `${Math.round((100 * run.confirmsPerSec) / other.confirmsPerSec)}%` : '?';
    });
  const apart = rangesOverlap(onHistory, memory)
    ? 'they overlap, the gap is within the noise'
    : 'they are apart, the gap exceeds the noise';
  const ms = (value: number) => value.toFixed(2);
  const failed = runs.filter((run) => !run.allOk);
  const idle = Math.max(...runs.map((run) => run.idleCpuSeconds));
  return [
    {
      bench: BENCH,
      metric: 'confirms/s on the history',
      value: onHistory.median,
      unit: '/s',
      target: { op: '>=', value: Math.round(CONFIRMS_SHARE_OF_MEMORY_TARGET * memory.median) },
      note: `${rounds}: ${describeSpread(onHistory)}; READ_MODELS=sqlite; target: within a tenth of the memory store's median`,
    },
    {
      bench: BENCH,
      metric: 'confirms/s, memory store (fresh)',
      value: memory.median,
      unit: '/s',
      note: `${rounds}: ${describeSpread(memory)}; READ_MODELS=memory on an empty DATA_DIR, beside it, alternately`,
    },
    {
      bench: BENCH,
      metric: 'confirms/s, history / memory store',
      value: Math.round((1000 * onHistory.median) / memory.median) / 10,
      unit: '%',
      note: `of the medians; ranges: history ${formatNumber(onHistory.min)}–${formatNumber(onHistory.max)}/s, memory ${formatNumber(memory.min)}–${formatNumber(memory.max)}/s: ${apart}; round by round ${byRound.join(', ')}`,
    },
    {
      bench: BENCH,
      metric: 'service CPU per confirm on the history',
      value: cpuOnHistory.median,
      unit: 'ms',
      note: `${rounds}: ${describeSpread(cpuOnHistory, ms)}; with the follow-up after each run`,
    },
    {
      bench: BENCH,
      metric: 'service CPU per confirm, memory store',
      value: cpuMemory.median,
      unit: 'ms',
      note: `${rounds}: ${describeSpread(cpuMemory, ms)}; the idle service used at most ${idle} s of CPU during a measured run of the other`,
    },
    {
      bench: BENCH,
      metric: 'confirms all 200, every round?',
      value: failed.length === 0 ? 'yes' : 'NO',
      unit: '',
      note: failed.map((run) => `round ${run.round} ${run.label}: ${run.failure}`).join('; '),
    },
  ];
}
