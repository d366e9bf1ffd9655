import { type Projection, type ProjectionWriter, type ProjectionGroup } from '../event-sourcing/projection';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { Doc } from '../ports/read-model-store.port';

/** The event that last changed a document. */
export interface ChangedBy {
  streamId: string;
  revision: number;
  globalPosition: number;
}

/** A document as the fold made it (`null`: deleted), and the event that last changed it. */
export interface FoldedDoc {
  doc: Doc | null;
  by: ChangedBy;
}

const PAGE = 1_000;

/**
 * The auditor's own read models (issue #10 point 4): every event folded, in global order,
 * through the service's projection code into documents held here, each group of projections up
 * to a position of the caller's choosing. It runs the same projections as the projector (so a
 * difference with the stored read models means they were changed, lost a write, or were made
 * by other code, not that the projection code is wrong), and remembers which event last wrote
 * each document, for the findings.
 */
export class ReadModelFold {
  readonly groups: readonly ProjectionGroup[];
  private readonly docs = new Map<string, Map<string, FoldedDoc>>();
  private readonly positions = new Map<string, number>();
  private readonly written = new Map<string, Set<string>>();
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly events: EventStore,
    groups: ReadonlyArray<Projection | ProjectionGroup>,
    private readonly pageSize = PAGE,
  ) {
    this.groups = groups.map((g) => ('projections' in g ? g : { name: g.name, projections: [g] }));
    for (const group of this.groups) {
      this.positions.set(group.name, 0);
      const declared = group.projections.flatMap((p) => p.collections ?? []);
      this.written.set(group.name, new Set(declared));
    }
  }

  /** How far a group has been folded. */
  positionOf(group: string): number {
    return this.positions.get(group) ?? 0;
  }

  /**
   * Why a group stopped folding: one of its projections threw on an event (data it cannot read,
   * as a tampered event may hold). Its documents are unknown from there on; the other groups go on.
   */
  failureOf(group: string): string | undefined {
    return this.failures.get(group);
  }

  /** The collections a group's projections declare or have written, sorted. */
  collectionsOf(group: string): string[] {
    return [...(this.written.get(group) ?? [])].sort();
  }

  /** Every document the fold made in a collection (deleted ones as `doc: null`), by id. */
  documents(collection: string): ReadonlyMap<string, FoldedDoc> {
    return this.docs.get(collection) ?? new Map();
  }

  /**
   * Folds on until each named group has applied every event up to its target, in one pass over
   * the log. A group never folds back: a target below its position changes nothing.
   */
  async advance(
    targets: Readonly<Record<string, number>>,
    onProgress?: (eventsRead: number, position: number, target: number) => void,
  ): Promise<void> {
    const behind = this.groups.filter((g) => (targets[g.name] ?? 0) > this.positionOf(g.name));
    if (behind.length === 0) return;
    const to = Math.max(...behind.map((g) => targets[g.name]));
    let from = Math.min(...behind.map((g) => this.positionOf(g.name)));
    let read = 0;
    while (from < to) {
      const page = await this.events.readAll(from, this.pageSize);
      if (page.length === 0) break;
      for (const event of page) {
        if (event.globalPosition > to) break;
        read++;
        for (const group of behind) {
          if (event.globalPosition <= this.positionOf(group.name)) continue;
          if (event.globalPosition > targets[group.name]) continue;
          if (this.failures.has(group.name)) continue;
          for (const projection of group.projections) {
            try {
              await projection.apply(event, this.writerFor(group.name, event));
            } catch (error) {
              this.failures.set(
                group.name,
                `${projection.name} threw on ${event.streamId} revision ${event.revision} at position ${event.globalPosition}: ${String(error)}`,
              );
              break;
            }
          }
        }
      }
      from = page[page.length - 1].globalPosition;
      onProgress?.(read, Math.min(from, to), to);
      // In a running service the fold shares the event loop with requests: let them in per page.
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const group of behind) this.positions.set(group.name, targets[group.name]);
  }

  private writerFor(group: string, event: RecordedEvent): ProjectionWriter {
    const by: ChangedBy = {
      streamId: event.streamId,
      revision: event.revision,
      globalPosition: event.globalPosition,
    };
    const set = (collection: string, id: string, doc: Doc | null) => {
      this.written.get(group)?.add(collection);
      let docs = this.docs.get(collection);
      if (docs === undefined) {
        docs = new Map();
        this.docs.set(collection, docs);
      }
      docs.set(id, { doc, by });
    };
    return {
      get: async <T extends Doc>(collection: string, id: string) =>
        (this.docs.get(collection)?.get(id)?.doc ?? null) as T | null,
      put: (collection, id, doc) => set(collection, id, doc),
      delete: (collection, id) => set(collection, id, null),
    };
  }
}
