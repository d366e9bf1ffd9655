import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freshDataDir, removeDataDir } from './support/harness';

const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
  ms: number;
}

/** `node dist/src/main.js` as `npm start` runs it (jest's global setup keeps dist/ built). */
function start(env: Record<string, string>): Promise<Exit> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, stdout, ms: Date.now() - began });
    });
  });
}

/** One line on stderr, exit code 1, no stack trace. */
function expectOneLineFailure(exit: Exit, pattern: RegExp): void {
  expect(exit.code).toBe(1);
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Ledgerline failed to start: /);
  expect(lines[0]).toMatch(pattern);
  expect(exit.stderr).not.toMatch(/\n\s+at /);
}

/** Issue #12 point 4: a start that cannot go on says why in one line. */
describe('start-up failures', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = freshDataDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach(removeDataDir));

  it('names a port that is already taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const exit = await start({ PORT: String(port), DATA_DIR: dataDir() });
      expectOneLineFailure(exit, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('names a DATA_DIR that cannot be written', async () => {
    const file = path.join(dataDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const exit = await start({ PORT: '0', DATA_DIR: path.join(file, 'data') });
    expectOneLineFailure(exit, /DATA_DIR .*a-file\/data is not a writable directory \(ENOTDIR\)/);
  });

  it('gives up on an unreachable MongoDB within STORE_CONNECT_TIMEOUT_MS', async () => {
    const exit = await start({
      PORT: '0',
      DATA_DIR: dataDir(),
      MONGODB_URL: 'mongodb://user:hunter2@127.0.0.1:1/?directConnection=true',
      STORE_CONNECT_TIMEOUT_MS: '1000',
    });
    expectOneLineFailure(
      exit,
      /MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1\/\?\*\*\* \(MONGODB_URL\) is unreachable/,
    );
    expect(exit.stderr).not.toContain('hunter2');
    expect(exit.ms).toBeLessThan(10_000);
  });

  it('gives up on an unreachable EventStoreDB within STORE_CONNECT_TIMEOUT_MS', async () => {
    const exit = await start({
      PORT: '0',
      DATA_DIR: dataDir(),
      EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false',
      STORE_CONNECT_TIMEOUT_MS: '1000',
    });
    expectOneLineFailure(
      exit,
      /EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?\*\*\* \(EVENTSTORE_URL\) is unreachable/,
    );
    expect(exit.ms).toBeLessThan(10_000);
  });
});
