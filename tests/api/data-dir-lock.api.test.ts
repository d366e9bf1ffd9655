import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startService, type RunningService } from '../../src/interfaces/http/server';
import { startStandaloneSandbox } from '../../src/interfaces/http/sandbox/standalone-sandbox.server';
import { freshDataDir, removeDataDir } from './support/harness';

const start = (dataDir: string): Promise<RunningService> =>
  startService({ env: { PORT: '0', DATA_DIR: dataDir }, schedulerIntervalMs: 3_600_000, log: () => {} });

const inUse = (dataDir: string): string => `DATA_DIR ${dataDir} is in use by another Ledgerline process`;

/** Another process holding the lock, as a second service would: the compiled lock, in plain node. */
function holdInChild(dataDir: string): Promise<ChildProcess> {
  const lockModule = path.resolve(__dirname, '../../dist/src/infrastructure/composition/data-dir-lock.js');
  const script = `require(${JSON.stringify(lockModule)}).lockDataDir(process.argv[1]);
    process.stdout.write('locked\\n'); setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    child.stdout?.once('data', () => resolve(child));
  });
}

describe('one process per DATA_DIR', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = freshDataDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach(removeDataDir));

  it('refuses a second start on the same DATA_DIR, and starts again once the first has closed', async () => {
    const dataDir = dir();
    const first = await start(dataDir);
    try {
      await expect(start(dataDir)).rejects.toThrow(inUse(dataDir));
      // The refused start left nothing behind: the first still serves.
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      await first.close();
    }
    const again = await start(dataDir);
    await again.close();
  });

  it('is refused while another process holds the lock, and starts once that process is killed', async () => {
    const dataDir = dir();
    const holder = await holdInChild(dataDir);
    try {
      await expect(start(dataDir)).rejects.toThrow(inUse(dataDir));
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL'); // a crash: no release, the OS drops the lock
      await exited;
    }
    const service = await start(dataDir);
    await service.close();
  });

  it('stops a second `npm start` with that one message and exit code 1', async () => {
    const dataDir = dir();
    const first = await start(dataDir);
    try {
      const main = path.resolve(__dirname, '../../dist/src/main.js');
      const child = spawn(process.execPath, [main], {
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect([code, stderr]).toEqual([1, `${inUse(dataDir)}\n`]);
    } finally {
      await first.close();
    }
  });

  it('locks the standalone sandbox on its own DATA_DIR too', async () => {
    const dataDir = dir();
    const env = { PORT: '0', DATA_DIR: dataDir, SERVICE_URL: 'http://127.0.0.1:9' };
    const first = await startStandaloneSandbox({ env, schedulerIntervalMs: 3_600_000, log: () => {} });
    try {
      await expect(startStandaloneSandbox({ env, log: () => {} })).rejects.toThrow(inUse(dataDir));
    } finally {
      await first.close();
    }
    const again = await startStandaloneSandbox({ env, schedulerIntervalMs: 3_600_000, log: () => {} });
    await again.close();
  });
});
