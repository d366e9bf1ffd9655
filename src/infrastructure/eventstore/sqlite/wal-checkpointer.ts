import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the WAL from a worker thread with its own connection. better-sqlite3 is
 * synchronous, so SQLite's automatic checkpoint, which runs inside whichever commit crosses the
 * threshold, would stall the event loop for milliseconds; a PASSIVE checkpoint elsewhere never
 * blocks the writer. The main connection turns automatic checkpoints off.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next tick */ }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs = 500) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, intervalMs, sqlite: require.resolve('better-sqlite3') },
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A checkpoint is housekeeping: a failing worker must not take the store down.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  async stop(): Promise<void> {
    // Held until it exits: with the worker unref'd, a process with nothing else to do would
    // exit in the middle of close(), before the store's last checkpoint and db.close().
    this.worker.ref();
    this.worker.postMessage('stop');
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await this.worker.terminate();
  }
}
