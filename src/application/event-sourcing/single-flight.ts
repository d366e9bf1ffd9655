/**
 * C8 within one process: work on the same key runs one at a time, so of twenty simultaneous
 * confirms of an order the first makes the PG call and the rest find its recorded outcome and
 * replay it. Across processes the order stream's expected revision is the guard.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>();

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Waits for whatever runs under `key`, then runs `work` alone under it. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    for (let current = this.running.get(key); current; current = this.running.get(key)) {
      await current.catch(() => undefined);
    }
    const promise = work();
    this.running.set(key, promise);
    try {
      return await promise;
    } finally {
      this.running.delete(key);
    }
  }
}
