/**
 * `npm run bench`: every benchmark against the embedded default, the service in a child
 * process, then a table (machine first) and bench/results/latest.json. Targets are printed
 * beside the figures as PASS/FAIL; a miss does not fail the run, a broken benchmark does.
 *
 * Environment: BENCH_ONLY=confirm,latency,history,portone,refunds,replay,history1m picks benchmarks;
 * BENCH_HISTORY_EVENTS sizes history1m's history (default 1,000,000; generated once, then cached);
 * BENCH_CONFIRM_ROUNDS sets history1m's rounds of confirms in turn on its three services (default 6);
 * BENCH_DIR picks the disk for DATA_DIR; BENCH_CPU_PROF=1 writes V8 CPU profiles of the
 * service and of the PG sandbox (every thread) to bench/results/profiles/; BENCH_KEEP_DATA=1
 * keeps DATA_DIR; BENCH_EVENTSTORE=1 also runs the event-store micro-bench. Sizes: see each benchmark's *Options().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { confirmLatency } from './confirm-latency.bench';
import { confirmSaturation } from './confirm-saturation.bench';
import { history1m } from './history-1m.bench';
import { historyReads } from './history-reads.bench';
import type { PreparedOrder } from './lib/api-client';
import { historyDir } from './lib/history-cache';
import { loadWindows } from './lib/load';
import { benchContext, type BenchOutcome } from './lib/bench-context';
import { activities, readProfile } from './profile-summary';
import { describeMachine, printMachine, printTable, verdict, writeResults, type Row } from './lib/report';
import {
  freePort,
  startSandboxProcess,
  startServiceProcess,
  type ServiceProcess,
} from './lib/service-process';
import { portoneConfirm } from './portone-confirm.bench';
import { refunds } from './refunds.bench';
import { replay } from './replay.bench';

const RESULTS_DIR = path.resolve(__dirname, '..', '..', 'bench', 'results');
const ALL = ['confirm', 'latency', 'history', 'portone', 'refunds', 'replay', 'history1m'] as const;
type BenchName = (typeof ALL)[number];

function selected(): Set<BenchName> {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return new Set(
    only && only.length > 0
      ? (only.filter((n) => (ALL as readonly string[]).includes(n)) as BenchName[])
      : ALL,
  );
}

export async function main(): Promise<void> {
  const started = performance.now();
  const dataRoot = process.env.BENCH_DIR ?? os.tmpdir();
  const machine = describeMachine(dataRoot);
  printMachine(machine);
  const benches = selected();

  const outcomes: Partial<Record<BenchName, BenchOutcome>> = {};
  const rows: Row[] = [];
  const failures: string[] = [];
  const record = (name: BenchName, outcome: BenchOutcome) => {
    outcomes[name] = outcome;
    rows.push(...outcome.rows);
  };
  const attempt = async (name: BenchName, run: () => Promise<BenchOutcome>) => {
    if (!benches.has(name)) return;
    try {
      record(name, await run());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${message}`);
      rows.push({
        bench: name,
        metric: 'ERROR',
        value: 'failed',
        unit: '',
        note: message.split('\n')[0].slice(0, 160),
      });
      console.error(`  ✗ ${name} failed:`, error);
    }
  };

  const profileDir = path.join(RESULTS_DIR, 'profiles');
  const nodeArgs = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  let service: ServiceProcess | null = null;
  let pg: ServiceProcess | null = null;
  const interrupted = () => {
    console.error('\ninterrupted: stopping the service');
    void Promise.all([service?.stop(2_000), pg?.stop(2_000)]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let backgroundFailures: string[] = [];
  let profileBreakdown: Record<string, Array<[string, number, number]>> | undefined;
  let dataDir: string | null = null;
  try {
    const needsService = [...benches].some((b) => b !== 'replay' && b !== 'history1m');
    if (needsService || benches.has('replay')) {
      // The PG runs apart from the service, as a real one does; each knows the other's URL.
      const port = await freePort();
      pg = await startSandboxProcess(`http://127.0.0.1:${port}`, { nodeArgs });
      service = await startServiceProcess({
        port,
        nodeArgs,
        env: {
          TOSS_API_BASE_URL: `${pg.url}/sandbox/toss`,
          PORTONE_API_BASE_URL: `${pg.url}/sandbox/portone`,
        },
      });
      dataDir = service.dataDir;
      console.error(`  service pid ${service.pid} on ${service.url}, DATA_DIR ${service.dataDir}`);
      console.error(`  PG sandbox pid ${pg.pid} on ${pg.url}, DATA_DIR ${pg.dataDir}`);
    }
    if (service && pg && needsService) {
      const ctx = benchContext(service, pg);
      let paid: PreparedOrder[] = [];
      await attempt('confirm', async () => {
        const outcome = await confirmSaturation(ctx);
        paid = outcome.paidOrders;
        return outcome;
      });
      await attempt('latency', () => confirmLatency(ctx));
      await attempt('history', () => historyReads(ctx));
      await attempt('portone', () => portoneConfirm(ctx));
      await attempt('refunds', () => refunds(ctx, paid));
    }
  } finally {
    if (pg) {
      await pg.stop();
      if (process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(pg.dataDir, { recursive: true, force: true });
    }
    if (service) {
      await service.stop();
      if (nodeArgs.length > 0) profileBreakdown = writePhases(profileDir, service);
      backgroundFailures = service
        .stderrTail()
        .filter((line) => /background failure|unhandled error|Error/.test(line));
    }
  }
  // The service has stopped: replay reads its event store alone.
  // Orders answered 202 PENDING: their stored events go into latest.json to explain why.
  const inspect = Object.values(outcomes)
    .flatMap((o) => o?.pendingOrderIds ?? [])
    .slice(0, 10);
  if (dataDir) await attempt('replay', () => replay(dataDir as string, undefined, inspect));
  // Its own services, one after the other, on a copy of the generated history.
  await attempt('history1m', () => history1m((message) => console.error(`  … ${message}`)));

  console.log('');
  printTable(rows);
  const seconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(
    `Total ${seconds.toFixed(0)} s.${nodeArgs.length ? ` CPU profile of the service in ${profileDir}` : ''}`,
  );
  if (backgroundFailures.length > 0) {
    console.log(
      `The service logged ${backgroundFailures.length} error line(s), e.g.: ${backgroundFailures[0].slice(0, 200)}`,
    );
  }
  if (failures.length > 0) console.log(`Broken benchmarks: ${failures.join('; ')}`);

  // Only a full run replaces latest.json (the README quotes it); a partial one goes beside it.
  const file = path.join(RESULTS_DIR, benches.size === ALL.length ? 'latest.json' : 'partial.json');
  await writeResults(file, {
    machine,
    totalSeconds: Math.round(seconds),
    summary: rows.map((row) => ({ ...row, verdict: verdict(row) || undefined })),
    details: outcomes,
    profile: profileBreakdown,
    serviceErrorLines: backgroundFailures.slice(0, 20),
    failures,
  });
  console.log(`Results written to ${path.relative(process.cwd(), file)}`);

  if (dataDir && process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  else if (dataDir) console.log(`DATA_DIR kept: ${dataDir}`);

  if (process.env.BENCH_EVENTSTORE === '1') {
    console.log('');
    const { main: eventStoreBench } = await import('./event-store.bench');
    await eventStoreBench();
  }
  if (failures.length > 0) process.exitCode = 1;
}

/**
 * The measured windows as seconds since the child's spawn (for `profile-summary --phase`), and
 * what the service spent its CPU on in each, from its profile.
 */
function writePhases(dir: string, service: ServiceProcess): Record<string, Array<[string, number, number]>> {
  const phases = loadWindows.map((w) => ({
    title: w.title,
    fromS: (w.startMs - service.spawnedAt) / 1000,
    toS: (w.endMs - service.spawnedAt) / 1000,
  }));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `phases-${service.pid}.json`), `${JSON.stringify(phases, null, 2)}\n`);
  const file = fs.readdirSync(dir).find((f) => f.endsWith(`.${service.pid}.0.001.cpuprofile`));
  if (!file) return {};
  const profile = readProfile(path.join(dir, file));
  console.log(`CPU profile of the service: ${path.join(dir, file)}`);
  const breakdown: Record<string, Array<[string, number, number]>> = {};
  for (const phase of phases) {
    breakdown[phase.title] = activities(profile, phase);
    const top = breakdown[phase.title].filter(([name]) => name !== 'idle').slice(0, 6);
    console.log(`  ${phase.title.padEnd(8)} ${top.map(([name, , share]) => `${share}% ${name}`).join(', ')}`);
  }
  return breakdown;
}

/** `npm run bench -- --generate N [--data-dir <dir>]`: only the history generator. */
async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { generate: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const events = Number(values.generate);
  if (!Number.isInteger(events) || events < 1)
    throw new Error('--generate takes a number of events, e.g. 1000000');
  const dataDir = path.resolve(values['data-dir'] ?? historyDir(events));
  const { generateHistory } = await import('./history-generator');
  const bar = progressBar(events);
  const history = await generateHistory({ events, dataDir, onProgress: (done) => bar.update(done) });
  bar.stop();
  console.log(
    `${history.events.toLocaleString('en-US')} events in ${history.seconds} s ` +
      `(${Math.round(history.events / history.seconds).toLocaleString('en-US')}/s) in ${dataDir}`,
  );
  console.log(JSON.stringify(history.activities));
}

/** A progress bar on a terminal; a line every tenth otherwise. */
function progressBar(total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: 'generating {bar} {percentage}% {value}/{total} events, {eta_formatted} left',
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
  }
  let next = 0.1;
  return {
    update(done) {
      if (done / total < next) return;
      console.error(`  … ${Math.round((done / total) * 100)}% (${done.toLocaleString('en-US')} events)`);
      next = Math.floor((done / total) * 10 + 1) / 10;
    },
    stop: () => undefined,
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  (args.includes('--generate') ? generate(args) : main()).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
