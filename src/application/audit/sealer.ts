import { deriveEventId } from '../event-sourcing/event-ids';
import { eventHash, GENESIS_HASH } from '../event-sourcing/event-hash';
import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import type { SealSigner } from '../ports/seal-signer.port';
import { merkleRoot, type StreamHead } from './merkle-root';
import { SEAL_EVENT, SEAL_STREAM, sealMessage, type SealData } from './seal';

export const SEALER = 'audit-sealer';

export interface SealerOptions {
  /** A seal at most this long after the previous one, when anything changed (default 60 s). */
  intervalMs: number;
  /** A seal as soon as this many events are unsealed (default 1,000). */
  everyEvents: number;
}

interface LastSeal {
  sequence: number;
  /** The seal event's own hash: the next seal's `previousSeal`. */
  hash: string;
  sealedAtMs: number;
}

const PAGE = 1_000;

/**
 * A2's sealer: it follows the log (through the port, from where the last seal left it), keeps
 * every stream's head in memory, and appends a signed seal to `audit-seals` when the interval
 * has passed with something new, when `everyEvents` events are unsealed (a trigger after the
 * appends of this process), and on a clean shutdown. Its state at start comes from the seals
 * themselves (each lists the streams it changed) plus the events after the last one, so a
 * start never rereads the whole history once it has been sealed. Catch-ups and seals run one
 * at a time.
 */
export class Sealer implements DueJobSource {
  readonly name = SEALER;
  private readonly heads = new Map<string, { count: number; head: string }>();
  private readonly changed = new Set<string>();
  private readPosition = 0;
  /** The newest event of another stream read so far: the next seal's cut. */
  private cut = 0;
  private eventCount = 0;
  private unsealed = 0;
  private last: LastSeal | null = null;
  private loaded: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Appends were made since the last catch-up started. */
  private appendsSeen = false;
  private triggerQueued = false;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly signer: SealSigner,
    private readonly options: SealerOptions,
    private readonly report: (source: string, error: unknown) => void,
  ) {}

  /** The public half of the seal key, for auditors (PEM), and its id. */
  get publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  get keyId(): string {
    return this.signer.keyId;
  }

  async nextDueAt(): Promise<number | null> {
    if (this.closed) return null;
    await this.load();
    if (!this.appendsSeen && this.changed.size === 0) return null;
    return this.last ? this.last.sealedAtMs + this.options.intervalMs : this.clock.now();
  }

  runDue(): Promise<void> {
    return this.serially(() => this.seal());
  }

  /** After an append in this process: catch up soon, and seal once `everyEvents` are unsealed. */
  appended(): void {
    if (this.closed) return;
    this.appendsSeen = true;
    if (this.triggerQueued) return;
    this.triggerQueued = true;
    setImmediate(() => {
      this.triggerQueued = false;
      if (this.closed) return;
      this.serially(async () => {
        await this.catchUp();
        if (this.unsealed >= this.options.everyEvents) await this.seal();
      }).catch((error: unknown) => this.report(SEALER, error));
    });
  }

  /** The shutdown seal: whatever is unsealed is sealed, then the sealer stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.serially(() => this.seal()).catch((error: unknown) => this.report(SEALER, error));
    this.closed = true;
  }

  /** Appends a seal now if anything changed since the last one. */
  sealNow(): Promise<void> {
    return this.serially(() => this.seal());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.load();
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<void> {
    this.loaded ??= this.loadFromSeals().catch((error: unknown) => {
      this.loaded = null;
      throw error;
    });
    return this.loaded;
  }

  /** The heads at the last seal (each seal lists what it changed), then the events after it. */
  private async loadFromSeals(): Promise<void> {
    this.heads.clear();
    this.changed.clear();
    this.last = null;
    this.cut = 0;
    this.eventCount = 0;
    for (const event of await this.store.readStream(SEAL_STREAM)) {
      const seal = event.data as SealData;
      for (const { streamId, count, head } of seal.streams) this.setHead(streamId, count, head);
      this.cut = seal.globalPosition;
      this.last = {
        sequence: seal.sequence,
        hash: event.metadata.hash,
        sealedAtMs: Date.parse(seal.sealedAt),
      };
    }
    this.changed.clear();
    this.unsealed = 0;
    this.readPosition = this.cut;
    await this.catchUp();
  }

  private async catchUp(): Promise<void> {
    this.appendsSeen = false;
    for (;;) {
      const page = await this.store.readAll(this.readPosition, PAGE);
      if (page.length === 0) return;
      for (const event of page) this.follow(event);
      this.readPosition = page[page.length - 1].globalPosition;
    }
  }

  private follow(event: RecordedEvent): void {
    if (event.streamId === SEAL_STREAM) return;
    this.setHead(event.streamId, event.revision + 1, event.metadata.hash);
    this.changed.add(event.streamId);
    this.cut = event.globalPosition;
    this.unsealed++;
  }

  private setHead(streamId: string, count: number, head: string): void {
    this.eventCount += count - (this.heads.get(streamId)?.count ?? 0);
    this.heads.set(streamId, { count, head });
  }

  private async seal(): Promise<void> {
    await this.catchUp();
    if (this.changed.size === 0) return;
    const now = this.clock.now();
    const sealedAt = new Date(now).toISOString();
    const sequence = this.last ? this.last.sequence + 1 : 0;
    const allHeads: StreamHead[] = [];
    for (const [streamId, { count, head }] of this.heads) allHeads.push({ streamId, count, head });
    const unsigned: Omit<SealData, 'signature'> = {
      sequence,
      sealedAt,
      globalPosition: this.cut,
      eventCount: this.eventCount,
      streamCount: this.heads.size,
      streams: [...this.changed].sort().map((streamId) => ({ streamId, ...this.heads.get(streamId)! })),
      merkleRoot: merkleRoot(allHeads),
      previousSeal: this.last?.hash ?? GENESIS_HASH,
      keyId: this.signer.keyId,
    };
    const data: SealData = { ...unsigned, signature: this.signer.sign(sealMessage(unsigned)) };
    const commandId = `seal-${sequence}`;
    const metadata = {
      eventId: deriveEventId(commandId, SEAL_STREAM, sequence),
      correlationId: commandId,
      causationId: commandId,
      actor: { kind: 'system' as const, process: SEALER },
      recordedAt: sealedAt,
      prevHash: this.last?.hash ?? GENESIS_HASH,
    };
    const hash = eventHash({ streamId: SEAL_STREAM, revision: sequence, type: SEAL_EVENT, data, metadata });
    try {
      await this.store.append(
        SEAL_STREAM,
        [{ type: SEAL_EVENT, data, metadata: { ...metadata, hash } }],
        sequence === 0 ? 'no_stream' : sequence - 1,
      );
    } catch (error) {
      // Another sealer wrote meanwhile: start again from what the store holds.
      if (error instanceof WrongExpectedRevisionError) this.loaded = null;
      throw error;
    }
    this.last = { sequence, hash, sealedAtMs: now };
    this.changed.clear();
    this.unsealed = 0;
  }
}
