import type { RecordedEvent } from '../ports/event-store.port';
import type { Doc } from '../ports/read-model-store.port';

/** What a projection may do while applying an event; reads see the batch's own writes. */
export interface ProjectionWriter {
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  put(collection: string, id: string, doc: Doc): void;
  delete(collection: string, id: string): void;
}

export interface Projection {
  readonly name: string;
  /**
   * Raised whenever apply() changes what the projection keeps. A store built by another version
   * is built again from the event store beside the live one, which serves until the new one has
   * caught up and its counts agree (projector.ts).
   */
  readonly version: number;
  /**
   * The collections it writes (and only it, or its group): a new version keeps their names, and
   * the auditor compares exactly these with a fold of its own.
   */
  readonly collections: readonly string[];
  apply(event: RecordedEvent, writer: ProjectionWriter): Promise<void>;
}

/** Streams are named `<aggregate>-<id>`; projections pick events by aggregate. */
export function streamKind(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/** Projections that share one checkpoint, folded in the order listed (see projection-groups.ts). */
export interface ProjectionGroup {
  /** The checkpoint's name. */
  readonly name: string;
  readonly projections: readonly Projection[];
}
