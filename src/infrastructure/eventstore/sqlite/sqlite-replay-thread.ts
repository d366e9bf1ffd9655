import { Worker } from 'node:worker_threads';
import type { FoldTally } from '../../../application/audit/replay-summary';
import type { ReplayJob, ReplayReply } from './sqlite-replay-worker';

/**
 * The parent's handle on one replay worker: one job at a time. The worker is kept between
 * replays (loaded modules, warm JIT, open connection) but unref'd while idle, so an idle pool
 * never keeps the process alive. A worker that errors or exits is dead for good; its pool
 * replaces it.
 */
export class ReplayThread {
  private readonly worker: Worker;
  private pending: { resolve: (tally: FoldTally) => void; reject: (error: Error) => void } | undefined;
  private death: Error | undefined;

  constructor(workerFile: string, file: string) {
    this.worker = new Worker(workerFile, { workerData: { file } });
    this.worker.unref();
    this.worker.on('message', (reply: ReplayReply) => {
      if (reply.ok) this.settle((p) => p.resolve(reply.tally));
      else this.settle((p) => p.reject(new Error(`replay worker failed: ${reply.error}`)));
    });
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`replay worker exited (code ${code})`)));
  }

  get dead(): boolean {
    return this.death !== undefined;
  }

  fold(job: ReplayJob): Promise<FoldTally> {
    if (this.death) return Promise.reject(this.death);
    if (this.pending) return Promise.reject(new Error('replay worker is busy'));
    return new Promise<FoldTally>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(job);
    });
  }

  async terminate(): Promise<void> {
    this.die(new Error('replay worker terminated'));
    // Held while it stops: an unref'd worker's exit would not keep the process waiting for it.
    this.worker.ref();
    await this.worker.terminate();
  }

  private die(error: Error): void {
    this.death ??= error;
    this.settle((p) => p.reject(this.death ?? error));
  }

  private settle(how: (pending: NonNullable<ReplayThread['pending']>) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    this.worker.unref();
    if (pending) how(pending);
  }
}
