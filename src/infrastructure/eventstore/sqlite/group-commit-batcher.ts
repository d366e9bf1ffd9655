/** What one request in a committed batch came to: its own result or its own error. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** false: every request is committed alone, at once (the baseline the bench compares with). */
  enabled: boolean;
  /** Upper bound on requests per transaction, so one commit never grows unbounded. */
  maxBatch: number;
}

interface Pending<Q, R> {
  request: Q;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: requests submitted in the same event-loop turn are applied by ONE call of
 * `commitBatch` (one transaction, one fsync). `commitBatch` returns an outcome per request;
 * if it throws, the commit failed and every request of the batch is rejected with that
 * error. Promises settle only after the commit, so an acknowledged request is durable.
 */
export class GroupCommitBatcher<Q, R> {
  private queue: Pending<Q, R>[] = [];
  private scheduled = false;

  constructor(
    private readonly commitBatch: (requests: Q[]) => BatchOutcome<R>[],
    private readonly options: GroupCommitOptions,
    private readonly onCommitted: () => void = () => undefined,
  ) {}

  submit(request: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.options.enabled) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: requests arriving from the same I/O phase join in.
        setImmediate(() => this.flush());
      }
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued so far, synchronously (better-sqlite3 is synchronous). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, Math.max(1, this.options.maxBatch));
      let outcomes: BatchOutcome<R>[];
      try {
        outcomes = this.commitBatch(batch.map((p) => p.request));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
        continue;
      }
      this.onCommitted();
      batch.forEach((p, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) p.resolve(outcome.value);
        else p.reject(outcome.error);
      });
    }
  }
}
