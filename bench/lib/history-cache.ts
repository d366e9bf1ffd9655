/**
 * The generated histories, kept between runs: `<BENCH_HISTORY_DIR or the OS temp dir>/
 * ledgerline-history/<N>-<schema>/` (events.db, the sandbox seal key, history.json). A history
 * of another generator version or event-store format has another key and is made again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HISTORY_FILE, HISTORY_SCHEMA, type GeneratedHistory } from '../history-generator';

const RUN_ALL = path.resolve(__dirname, '..', 'run-all.js');

export function historyDir(events: number): string {
  const root = process.env.BENCH_HISTORY_DIR ?? path.join(os.tmpdir(), 'ledgerline-history');
  return path.join(root, `${events}-${HISTORY_SCHEMA}`);
}

export function readHistory(dir: string): GeneratedHistory | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, HISTORY_FILE), 'utf8')) as GeneratedHistory;
  } catch {
    return null;
  }
}

/** The cached history of `events` events, generated first (in a child process) when missing. */
export async function cachedHistory(
  events: number,
  log: (message: string) => void,
): Promise<{ dir: string; history: GeneratedHistory }> {
  const dir = historyDir(events);
  const cached = readHistory(dir);
  if (cached) return { dir, history: cached };
  const partial = `${dir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  log(`no cached history of ${events.toLocaleString('en-US')} events: generating it into ${dir} (minutes)…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=8192', RUN_ALL, '--generate', String(events), '--data-dir', partial],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the generator exited with ${code}`)),
    );
  });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  const history = readHistory(dir);
  if (!history) throw new Error(`the generator left no ${HISTORY_FILE} in ${dir}`);
  return { dir, history };
}
