import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import {
  AppendResult,
  EventContent,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  HashMismatch,
  RecordedEvent,
  StoredStreamHead,
} from '../../../application/ports/event-store.port';
import type { ChainAuditReport } from '../../../application/audit/chain-audit-report';
import { toRecordedEvent, type ReaderTables } from './sqlite-append';
import { prepareAuditReads, toEventContent, type AuditReads } from './sqlite-audit-reads';
import { auditChains } from './sqlite-chain-check';
import { decodeHash, JsonKeys, NameTable } from './sqlite-event-codec';
import { findHashMismatches } from './sqlite-hash-check';
import { RecentEvents } from './recent-events';
import { EventStatements, openEventDatabase, prepareEventStatements } from './sqlite-event-schema';
import { SqliteEventSubscription } from './sqlite-event-subscription';
import { SqliteWriter, type WrittenAppend } from './sqlite-writer';
import { WalCheckpointer } from './wal-checkpointer';

export interface SqliteEventStoreOptions {
  /** Commit concurrent appends together (default true); false is the one-fsync-per-append baseline. */
  groupCommit?: boolean;
  /** Most appends in one transaction (default 1000). */
  maxBatch?: number;
  /** How often subscriptions look for events written by another process (default 250 ms). */
  pollMs?: number;
  /** Events per page when a subscription catches up (default 1000). */
  subscriptionPageSize?: number;
  /** How long to wait for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** The embedded event store: one SQLite file, WAL, durable group commits on a writer thread. */
export class SqliteEventStore implements EventStore {
  private readonly stmts: EventStatements;
  private readonly tables: ReaderTables;
  private auditReads: AuditReads | null = null;
  private readonly writer: SqliteWriter;
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<SqliteEventSubscription>();
  private readonly recent = new RecentEvents();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly filePath: string,
    private readonly options: Required<SqliteEventStoreOptions>,
    private readonly checkpointer: WalCheckpointer,
  ) {
    // This connection only reads; the writer thread has its own.
    this.stmts = prepareEventStatements(db);
    this.tables = { keys: new JsonKeys(db), types: new NameTable(db, 'event_types') };
    this.appended.setMaxListeners(0); // one listener per live subscription; no fixed bound
    this.writer = new SqliteWriter(
      filePath,
      { maxBatch: options.groupCommit ? options.maxBatch : 1, busyTimeoutMs: options.busyTimeoutMs },
      (written) => this.keep(written),
    );
  }

  /** Opens (or creates) the store at `filePath`, creating its directory if missing. */
  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const resolved: Required<SqliteEventStoreOptions> = {
      groupCommit: options.groupCommit ?? true,
      maxBatch: options.maxBatch ?? 1000,
      pollMs: options.pollMs ?? 250,
      subscriptionPageSize: options.subscriptionPageSize ?? 1000,
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    };
    const db = openEventDatabase(filePath, resolved.busyTimeoutMs);
    db.pragma('wal_autocheckpoint = 0');
    return new SqliteEventStore(db, filePath, resolved, new WalCheckpointer(filePath));
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return this.writer.append(streamId, events, expected);
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.stmts.readStream.all(streamId).map((row) => toRecordedEvent(this.tables, row));
  }

  async readLast(streamId: string): Promise<RecordedEvent | null> {
    const row = this.stmts.readLast.get(streamId);
    return row ? toRecordedEvent(this.tables, row) : null;
  }

  /** The audit's hash check over the stored bytes, on one worker thread per core. */
  findHashMismatches(headPosition: number): Promise<HashMismatch[]> {
    return findHashMismatches(this.filePath, headPosition);
  }

  /** The audit's rules' read: no ids, actor or hashes, no event of `exceptStream`. */
  async readContent(fromPosition: number, limit: number, exceptStream: string): Promise<EventContent[]> {
    this.auditReads ??= prepareAuditReads(this.db);
    const rows = this.auditReads.contentAfter.all(fromPosition, exceptStream, Math.max(0, Math.floor(limit)));
    return rows.map((row) => toEventContent(this.tables, row));
  }

  /** The audit's chain and seal checks, on a worker thread of their own (see sqlite-chain-check.ts). */
  auditChains(headPosition: number, publicKeyPem: string): Promise<ChainAuditReport> {
    return auditChains({ file: this.filePath, headPosition, publicKeyPem });
  }

  /** Every stream's head from the streams table (one row each), read in one snapshot. */
  async streamHeads(visit: (head: StoredStreamHead) => void): Promise<number> {
    return this.db.transaction(() => {
      const position = this.stmts.head.get() ?? 0;
      for (const [streamId, revision, hash, lastPosition, ordinal] of this.stmts.heads.iterate()) {
        visit({ streamId, count: revision + 1, head: decodeHash(hash), lastPosition, ordinal });
      }
      return position;
    })();
  }

  /** The stream row's id is given in order of first appearance, from 1 (see `streamHeads`). */
  async streamOrdinal(streamId: string): Promise<number | undefined> {
    return this.stmts.streamOrdinal.get(streamId);
  }

  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    return this.readPage(fromPosition, limit);
  }

  async headPosition(): Promise<number> {
    return this.stmts.head.get() ?? 0;
  }

  /** Batches committed so far and the appends they held. */
  get commits(): { batches: number; appends: number } {
    return this.writer.commits;
  }

  subscribe(
    fromPosition: number,
    onEvent: (event: RecordedEvent) => Promise<void>,
    onError?: (error: unknown) => void,
  ): EventSubscription {
    if (this.closed) throw new Error('event store is closed');
    const subscription = new SqliteEventSubscription(fromPosition, onEvent, onError, {
      readPage: (position, limit) => this.readPage(position, limit),
      appended: this.appended,
      pollMs: this.options.pollMs,
      pageSize: this.options.subscriptionPageSize,
      onClosed: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    if (this.closed) return { kind: 'sqlite', ok: false, detail: `${this.filePath} (closed)` };
    const writerDown = this.writer.failure;
    if (writerDown) return { kind: 'sqlite', ok: false, detail: `${this.filePath}: ${writerDown.message}` };
    try {
      this.stmts.head.get();
      return { kind: 'sqlite', ok: true, detail: this.filePath };
    } catch (error) {
      return { kind: 'sqlite', ok: false, detail: `${this.filePath}: ${(error as Error).message}` };
    }
  }

  /** Commits appends still waiting for their batch, stops subscriptions, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.checkpointer.stop();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /** After a commit: keeps what was written for the followers, and wakes them. */
  private keep(written: WrittenAppend[]): void {
    for (const { streamId, events, firstRevision, positions } of written) {
      events.forEach(({ type, data, metadata }, i) => {
        const globalPosition = positions[i];
        this.recent.add({ globalPosition, streamId, revision: firstRevision + i, type, data, metadata });
      });
    }
    this.appended.emit('appended');
  }

  /** The page from what was just committed as far as it reaches, then from the table. */
  private readPage(fromPosition: number, limit: number): RecordedEvent[] {
    const wanted = Math.max(0, Math.floor(limit));
    const events = this.recent.after(fromPosition, wanted);
    if (events.length === wanted) return events;
    const after = events.length === 0 ? fromPosition : events[events.length - 1].globalPosition;
    for (const row of this.stmts.readAll.all(after, wanted - events.length))
      events.push(toRecordedEvent(this.tables, row));
    return events;
  }
}
