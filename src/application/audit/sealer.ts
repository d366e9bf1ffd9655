import { deriveEventId } from '../event-sourcing/event-ids';
import { eventHash, GENESIS_HASH } from '../event-sourcing/event-hash';
import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { MerkleSnapshotStore } from '../ports/merkle-snapshot-store.port';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import type { SealSigner } from '../ports/seal-signer.port';
import { merkleLeafDigest, MerkleTree } from './merkle-root';
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
 * the Merkle tree over every stream's head (merkle-root.ts: leaves in order of first
 * appearance, so a seal re-hashes only the paths of the streams it lists), and appends a signed
 * seal to `audit-seals` when the interval has passed with something new, when `everyEvents`
 * events are unsealed (a trigger after the appends of this process), and on a clean shutdown.
 * Its state at start comes from the store's stream heads when the store keeps them (SQLite:
 * one row per stream, no log read), else from one read of the log up to the last seal's cut;
 * then the events after it. With a snapshot store, a clean shutdown keeps the tree as of its
 * last seal, and a start whose last seal is that one loads its leaves in one read (the levels
 * above hashed again, the root checked against the seal's) and follows the log from the seal's
 * cut. Catch-ups and seals run one at a time.
 */
/** Leaves of streams changed since start kept by name, when the store tells the rest. */
const SLOT_CACHE = 50_000;

export class Sealer implements DueJobSource {
  readonly name = SEALER;
  /**
   * Streams' leaves in the tree (in the order the streams first appeared): every stream when
   * the tree was loaded from the log; when it was loaded from the store's stream rows, only a
   * bounded cache of those changed since, the store telling the rest (`streamOrdinal`), so the
   * service does not hold a map of every stream name.
   */
  private readonly slots = new Map<string, number>();
  private slotsFromStore = false;
  /** The seal stream's row ordinal, once it has one (it has no leaf). */
  private sealOrdinal: number | undefined;
  private tree = new MerkleTree();
  /** Streams changed since the last seal, with their heads now. */
  private readonly changed = new Map<string, { count: number; head: string }>();
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
    private readonly snapshots?: MerkleSnapshotStore,
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
    await this.serially(async () => {
      await this.seal();
      await this.saveSnapshot();
    }).catch((error: unknown) => this.report(SEALER, error));
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

  /** The last seal, every stream's head (from the store's heads, or the log up to its cut), then what follows. */
  private async loadFromSeals(): Promise<void> {
    this.tree = new MerkleTree();
    this.slots.clear();
    this.slotsFromStore = false;
    this.sealOrdinal = undefined;
    this.changed.clear();
    this.last = null;
    this.cut = 0;
    this.eventCount = 0;
    this.unsealed = 0;
    this.readPosition = 0;
    const lastSeal = await this.lastSealEvent();
    const sealedCut = lastSeal ? (lastSeal.data as SealData).globalPosition : 0;
    if (lastSeal) {
      const seal = lastSeal.data as SealData;
      this.last = {
        sequence: seal.sequence,
        hash: lastSeal.metadata.hash,
        sealedAtMs: Date.parse(seal.sealedAt),
      };
    }
    if (lastSeal && (await this.startFromSnapshot(lastSeal))) {
      await this.catchUp();
      return;
    }
    if (this.store.streamHeads) {
      this.slotsFromStore = this.store.streamOrdinal !== undefined;
      if (!(await this.loadHeads(this.store.streamHeads.bind(this.store), sealedCut))) {
        // Stream rows not dense or not in order (never made by the store itself): leaves by name.
        this.slotsFromStore = false;
        await this.loadHeads(this.store.streamHeads.bind(this.store), sealedCut);
      }
    } else {
      await this.catchUp(sealedCut);
      this.changed.clear();
      this.unsealed = 0;
    }
    await this.catchUp();
  }

  /**
   * The tree as the last clean shutdown kept it, when it stands at `lastSeal` (same sequence,
   * event hash, stream count, and the root its leaves hash to): the state that seal recorded, the log followed from its
   * cut. Only with a store that tells a stream's leaf (`streamOrdinal`): the snapshot keeps no
   * names. False, changing nothing, otherwise.
   */
  private async startFromSnapshot(lastSeal: RecordedEvent): Promise<boolean> {
    if (!this.snapshots || !this.store.streamOrdinal) return false;
    const seal = lastSeal.data as SealData;
    // An unreadable snapshot only makes the start slower.
    const snapshot = await this.snapshots.load().catch(() => null);
    if (
      snapshot === null ||
      snapshot.sealSequence !== seal.sequence ||
      snapshot.sealHash !== lastSeal.metadata.hash ||
      snapshot.leafCount !== seal.streamCount
    ) {
      return false;
    }
    let tree: MerkleTree;
    try {
      tree = MerkleTree.fromLeaves(snapshot.leaves, snapshot.leafCount);
    } catch {
      return false;
    }
    if (tree.root() !== seal.merkleRoot) return false;
    this.tree = tree;
    this.slotsFromStore = true;
    this.eventCount = seal.eventCount;
    this.cut = seal.globalPosition;
    this.readPosition = seal.globalPosition;
    return true;
  }

  /** At a clean shutdown: the tree as of the last seal, when nothing was read after it. */
  private async saveSnapshot(): Promise<void> {
    // Leaves by name (stream rows out of order) are not the rows' order a start would take them in.
    if (!this.snapshots || !this.slotsFromStore || this.last === null || this.changed.size > 0) return;
    await this.snapshots.save({
      sealSequence: this.last.sequence,
      sealHash: this.last.hash,
      leafCount: this.tree.size,
      leaves: this.tree.leafBytes(),
    });
  }

  /**
   * Every stream's head from the store's rows. With `slotsFromStore`, a stream's leaf is its
   * row's ordinal (less one past the seal stream's, which has no leaf): false when an ordinal is
   * not the next leaf, for the caller to load again by name.
   */
  private async loadHeads(
    streamHeads: NonNullable<EventStore['streamHeads']>,
    sealedCut: number,
  ): Promise<boolean> {
    this.tree = new MerkleTree();
    this.slots.clear();
    this.changed.clear();
    this.eventCount = 0;
    this.cut = 0;
    this.unsealed = 0;
    let inOrder = true;
    let sealRowSeen = 0;
    this.readPosition = await streamHeads((head) => {
      if (head.streamId === SEAL_STREAM) {
        sealRowSeen = 1;
        return;
      }
      // Each row is a stream of its own: its leaf is the next one, known by name or by ordinal.
      if (!this.slotsFromStore) this.slots.set(head.streamId, this.tree.size);
      else if (head.ordinal !== this.tree.size + sealRowSeen) inOrder = false;
      this.tree.set(this.tree.size, merkleLeafDigest(head));
      this.eventCount += head.count;
      this.cut = Math.max(this.cut, head.lastPosition);
      if (head.lastPosition > sealedCut) {
        this.changed.set(head.streamId, { count: head.count, head: head.head });
        this.unsealed++;
      }
    });
    return inOrder || !this.slotsFromStore;
  }

  private async lastSealEvent(): Promise<RecordedEvent | null> {
    if (this.store.readLast) return this.store.readLast(SEAL_STREAM);
    const seals = await this.store.readStream(SEAL_STREAM);
    return seals[seals.length - 1] ?? null;
  }

  /** Follows the log to its head (or to `until`, included). */
  private async catchUp(until = Infinity): Promise<void> {
    this.appendsSeen = false;
    while (this.readPosition < until) {
      const page = await this.store.readAll(this.readPosition, PAGE);
      if (page.length === 0) return;
      for (const event of page) {
        if (event.globalPosition > until) return;
        await this.follow(event);
        this.readPosition = event.globalPosition;
      }
    }
  }

  private async follow(event: RecordedEvent): Promise<void> {
    if (event.streamId === SEAL_STREAM) return;
    const head = { count: event.revision + 1, head: event.metadata.hash };
    const slot = await this.slotOf(event.streamId);
    this.tree.set(slot, merkleLeafDigest({ streamId: event.streamId, ...head }));
    this.changed.set(event.streamId, head);
    this.eventCount++;
    this.cut = event.globalPosition;
    this.unsealed++;
  }

  /** A stream's leaf: a new stream takes the next one; with `slotsFromStore` the store says. */
  private async slotOf(streamId: string): Promise<number> {
    const known = this.slots.get(streamId);
    if (known !== undefined) return known;
    let slot = this.tree.size;
    if (this.slotsFromStore) {
      const ordinal = await this.store.streamOrdinal!(streamId);
      this.sealOrdinal ??= await this.store.streamOrdinal!(SEAL_STREAM);
      const past = this.sealOrdinal !== undefined && ordinal !== undefined && this.sealOrdinal < ordinal;
      if (ordinal !== undefined) slot = Math.min(ordinal - (past ? 1 : 0), this.tree.size);
      if (this.slots.size >= SLOT_CACHE) this.slots.clear();
    }
    this.slots.set(streamId, slot);
    return slot;
  }

  private async seal(): Promise<void> {
    await this.catchUp();
    if (this.changed.size === 0) return;
    const now = this.clock.now();
    const sealedAt = new Date(now).toISOString();
    const sequence = this.last ? this.last.sequence + 1 : 0;
    const unsigned: Omit<SealData, 'signature'> = {
      sequence,
      sealedAt,
      globalPosition: this.cut,
      eventCount: this.eventCount,
      streamCount: this.tree.size,
      streams: [...this.changed.keys()]
        .sort()
        .map((streamId) => ({ streamId, ...this.changed.get(streamId)! })),
      merkleRoot: this.tree.root(),
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
