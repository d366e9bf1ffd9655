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
  /** The collections it writes: the auditor compares exactly these with a fold of its own. */
  readonly collections?: readonly string[];
  apply(event: RecordedEvent, writer: ProjectionWriter): Promise<void>;
}

/** Streams are named `<aggregate>-<id>`; projections pick events by aggregate. */
export function streamKind(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
