/**
 * The service under test as a child process (`node dist/src/main.js`), so the load generator
 * and the service never share an event loop. Embedded default: SQLite with durable commits in a
 * fresh DATA_DIR. The PG is the standalone sandbox (`node dist/src/sandbox-main.js`) in a
 * process of its own, called over loopback HTTP, as a real PG would be called over the network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ServiceProcess {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** When the child was spawned (epoch ms): a --cpu-prof profile's clock starts about then. */
  spawnedAt: number;
  /** CPU time (user + system) the child has used so far, in seconds; NaN where /proc is missing. */
  cpuSeconds(): number;
  /**
   * Waits until the service is idle (background work after a run: webhooks, reconciliation,
   * projections) and says how long that took and how much CPU it used.
   */
  settle(options?: SettleOptions): Promise<Settled>;
  /** Lines the service wrote to stderr (background failures, crashes); the last 200 are kept. */
  stderrTail(): string[];
  /** SIGTERM (graceful: flushes a --cpu-prof profile), SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SettleOptions {
  /** A window counts as quiet below this share of one core (default 0.1). */
  idleShare?: number;
  windowMs?: number;
  timeoutMs?: number;
}

export interface Settled {
  seconds: number;
  cpuSeconds: number;
  /** False when `timeoutMs` passed first. */
  quiet: boolean;
}

export interface StartOptions {
  /** Reuse a data directory; default: a fresh mkdtemp under BENCH_DIR or the OS temp dir. */
  dataDir?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Extra node flags for the child, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeArgs?: string[];
  /** Settings on top of the embedded default, e.g. the PG base URLs. */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
}

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'main.js');
const SANDBOX_MAIN = path.resolve(__dirname, '..', '..', 'src', 'sandbox-main.js');
/** Settings that would switch the child away from the embedded default. */
const NON_DEFAULT_VARS = [
  'EVENTSTORE_URL',
  'MONGODB_URL',
  'PAYMENTS_MODE',
  'TOSS_API_BASE_URL',
  'PORTONE_API_BASE_URL',
  'PLANS_JSON',
  'ORDER_TTL_MINUTES',
  'REFUND_WINDOW_DAYS',
];
const live = new Set<ChildProcess>();

// Last resort: never leave a child behind, whatever way the bench ends.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function freshDataDir(): string {
  return fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'ledgerline-bench-'));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function startServiceProcess(options: StartOptions = {}): Promise<ServiceProcess> {
  return startNodeProcess(MAIN, options);
}

/** The standalone PG sandbox, sending its webhooks to `serviceUrl`. */
export function startSandboxProcess(serviceUrl: string, options: StartOptions = {}): Promise<ServiceProcess> {
  return startNodeProcess(SANDBOX_MAIN, { ...options, env: { ...options.env, SERVICE_URL: serviceUrl } });
}

async function startNodeProcess(main: string, options: StartOptions): Promise<ServiceProcess> {
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const dataDir = options.dataDir ?? freshDataDir();
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  for (const name of NON_DEFAULT_VARS) delete env[name];
  Object.assign(env, options.env);

  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') tail.push(line);
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => live.delete(child));

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 15_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, options.healthTimeoutMs ?? 30_000, tail);
  } catch (error) {
    await stop(2_000);
    if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid ?? -1;
  const cpuSeconds = () => cpuSecondsOf(pid);
  return {
    url,
    port,
    dataDir,
    pid,
    spawnedAt,
    cpuSeconds,
    settle: (settleOptions) => waitUntilIdle(cpuSeconds, settleOptions),
    stderrTail: () => [...tail],
    stop,
  };
}

/** Two quiet windows in a row: the scheduler's 1 s tick alone stays far below the threshold. */
async function waitUntilIdle(cpuSeconds: () => number, options: SettleOptions = {}): Promise<Settled> {
  const { idleShare = 0.1, windowMs = 500, timeoutMs = 60_000 } = options;
  const started = Date.now();
  const cpuAtStart = cpuSeconds();
  if (!Number.isFinite(cpuAtStart)) return { seconds: 0, cpuSeconds: 0, quiet: true };
  let quietWindows = 0;
  let quiet = false;
  while (Date.now() - started < timeoutMs) {
    const before = cpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = cpuSeconds() - before;
    quietWindows = used < (idleShare * windowMs) / 1000 ? quietWindows + 1 : 0;
    if (quietWindows >= 2) {
      quiet = true;
      break;
    }
  }
  return { seconds: (Date.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpuAtStart, quiet };
}

/** Kernel clock ticks per second for /proc/<pid>/stat; 100 on every mainstream Linux. */
const CLOCK_TICKS = 100;

function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  tail: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${url} exited with code ${child.exitCode} before /health:\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
      await res.body?.cancel();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer /health within ${timeoutMs} ms:\n${tail.join('\n')}`);
}
