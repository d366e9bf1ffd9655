import { Worker } from 'node:worker_threads';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
} from '../../../application/ports/event-store.port';
import { toWire, type WireAppend } from './sqlite-append';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-writer-worker';
import { workerFile } from '../../sqlite/worker-file';

export interface SqliteWriterOptions {
  /** Most appends in one transaction; 1 commits every append alone. */
  maxBatch: number;
  /** How long the writer waits for another process's write lock. */
  busyTimeoutMs: number;
}

/** Events one append wrote, for the store's followers. */
export interface WrittenAppend {
  streamId: string;
  events: EventToAppend[];
  /** Revision of the first event written. */
  firstRevision: number;
  positions: number[];
}

interface Pending {
  wire: WireAppend;
  events: EventToAppend[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit on a worker thread. One batch is in flight at a time: the appends of one
 * event-loop turn go together, and those submitted while a batch commits queue up as the next
 * one, so the busier the service, the more appends share a transaction and its fsync. The event loop only serialises events and posts
 * them. A promise settles after its batch has committed, so an acknowledged append is durable.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private death: Error | null = null;
  private idleWaiters: Array<() => void> = [];
  private scheduled = false;
  private readonly tally = { batches: 0, appends: 0 };

  constructor(
    file: string,
    private readonly options: SqliteWriterOptions,
    private readonly onWritten: (written: WrittenAppend[]) => void,
  ) {
    const workerData: WriterData = { file, busyTimeoutMs: options.busyTimeoutMs };
    this.worker = new Worker(workerFile(__dirname, 'sqlite-writer-worker.js'), { workerData });
    // Referenced only while a batch is in flight: an idle store never keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.die(error));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        this.die(new Error('the event store writer has stopped'));
        resolve();
      });
    });
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.death) return Promise.reject(this.death);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ wire: toWire(streamId, events, expected), events, resolve, reject });
      if (this.inFlight === null && !this.scheduled) {
        // setImmediate, not at once: the appends of this whole I/O phase go as one batch.
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (this.inFlight === null) this.sendNext();
        });
      }
    });
  }

  /** Why the writer can take no more appends (its thread failed or stopped), or null. */
  get failure(): Error | null {
    return this.death;
  }

  /** Batches committed and the appends they held, failed ones included (how well appends group). */
  get commits(): { batches: number; appends: number } {
    return { ...this.tally };
  }

  /** Commits everything submitted so far, then closes the writer's connection. */
  async close(): Promise<void> {
    if (this.death === null) {
      await this.idle();
      this.worker.ref();
      this.post({ kind: 'close' });
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    }
    await this.worker.terminate();
  }

  private sendNext(): void {
    if (this.queue.length === 0) {
      this.worker.unref();
      for (const waiter of this.idleWaiters.splice(0)) waiter();
      return;
    }
    const batch = this.queue.splice(0, Math.max(1, this.options.maxBatch));
    this.inFlight = batch;
    this.worker.ref();
    this.post({ kind: 'commit', appends: batch.map((p) => p.wire) });
  }

  private settle(reply: WriterReply): void {
    const batch = this.inFlight;
    if (reply.kind === 'closed' || batch === null) return;
    this.inFlight = null;
    this.tally.batches += 1;
    this.tally.appends += batch.length;
    if (reply.kind === 'failed') {
      const error = new Error(`event store commit failed: ${reply.message}`);
      this.sendNext();
      for (const p of batch) p.reject(error);
      return;
    }
    const written: WrittenAppend[] = [];
    reply.outcomes.forEach((outcome, i) => {
      const { wire, events } = batch[i];
      if (outcome.ok && outcome.positions.length > 0) {
        const firstRevision = outcome.nextRevision - events.length + 1;
        written.push({ streamId: wire.streamId, events, firstRevision, positions: outcome.positions });
      }
    });
    // Before anyone hears back: a follower woken by a caller must find these events.
    this.onWritten(written);
    this.sendNext();
    reply.outcomes.forEach((outcome, i) => {
      const { wire, resolve, reject } = batch[i];
      if (outcome.ok) resolve({ nextRevision: outcome.nextRevision, globalPosition: outcome.globalPosition });
      else reject(new WrongExpectedRevisionError(wire.streamId, wire.expected, outcome.actual));
    });
  }

  private idle(): Promise<void> {
    if (this.inFlight === null && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private post(request: WriterRequest): void {
    this.worker.postMessage(request);
  }

  private die(error: Error): void {
    if (this.death) return;
    this.death = error;
    const pending = [...(this.inFlight ?? []), ...this.queue];
    this.inFlight = null;
    this.queue = [];
    for (const p of pending) p.reject(error);
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
