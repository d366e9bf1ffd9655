import { Worker } from 'node:worker_threads';
import { workerFile } from '../../sqlite/worker-file';
import type {
  ReadModelWriteReply,
  ReadModelWriteRequest,
  ReadModelWriterData,
  WireDoc,
} from './sqlite-read-model-writer-worker';

/**
 * The read-model file's writer thread, seen from the event loop: one window in flight at a time,
 * its promise settled when the window's transaction has committed (or failed, rolled back). The
 * same thread copies the WAL back into the file between windows, so neither the statements, the
 * index upkeep, the commit nor the checkpoint runs on the event loop.
 */
export class SqliteReadModelWriter {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private death: Error | null = null;

  constructor(file: string, busyTimeoutMs: number) {
    const workerData: ReadModelWriterData = { file, busyTimeoutMs };
    this.worker = new Worker(workerFile(__dirname, 'sqlite-read-model-writer-worker.js'), { workerData });
    // Referenced only while a window is in flight: an idle store never keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: ReadModelWriteReply) => this.settle(reply));
    this.worker.on('error', (error) => this.die(error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.die(new Error('the read-model writer has stopped'));
        resolve();
      });
    });
  }

  /** Why the writer can take no more windows (its thread failed or stopped), or null. */
  get failure(): Error | null {
    return this.death;
  }

  /** Writes one window in one transaction (making the tables it lacks); resolves once committed. */
  write(docs: WireDoc[], checkpoints: Array<[string, number]>): Promise<void> {
    if (this.death) return Promise.reject(this.death);
    if (this.waiting) return Promise.reject(new Error('read-model writer: one window at a time'));
    return new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.ref();
      this.post({ kind: 'commit', docs, checkpoints });
    });
  }

  /** After the main connection dropped tables: the writer forgets what it knew of the schema. */
  forget(): void {
    if (this.death === null) this.post({ kind: 'forget' });
  }

  /** Closes the writer's connection (call with no window in flight). */
  async close(): Promise<void> {
    if (this.death === null) {
      this.worker.ref();
      this.post({ kind: 'close' });
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    }
    await this.worker.terminate();
  }

  private settle(reply: ReadModelWriteReply): void {
    const waiting = this.waiting;
    if (reply.kind === 'closed' || waiting === null) return;
    this.waiting = null;
    this.worker.unref();
    if (reply.kind === 'failed') waiting.reject(new Error(reply.message));
    else waiting.resolve();
  }

  private post(request: ReadModelWriteRequest): void {
    this.worker.postMessage(request);
  }

  private die(error: Error): void {
    if (this.death) return;
    this.death = error;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }
}
