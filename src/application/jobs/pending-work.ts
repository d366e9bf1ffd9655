import type { RecordedEvent } from '../ports/event-store.port';
import type { Doc } from '../ports/read-model-store.port';
import { streamKind, type Projection, type ProjectionWriter } from '../event-sourcing/projection';

/**
 * One item of work a process still owes, in that process's own pending-work projection. Items
 * may stay as trackers after the work is done (`owed: false`) when the process needs to
 * remember something for the next episode; the job only scans owed, unparked items.
 */
export interface PendingWork extends Doc {
  id: string;
  owed: boolean;
  /** When this episode of work became owed (epoch ms): it names the episode and orders the scan. */
  sinceMs: number;
  /** Not before this instant (a grace for the request that is still doing it, or a schedule). */
  dueAtMs: number;
  /** Parked after too many failed attempts (P2): not retried until an operator retries it. */
  parked: boolean;
  parkedReason: string | null;
}

/** The fields a process sets on an item; parking is managed here. */
export type PendingFields<I extends PendingWork> = Omit<I, 'parked' | 'parkedReason'>;

export const pendingCollection = (process: string): string => `pending_${process.replace(/-/g, '_')}`;

/** An episode of an item, as named on the process's stream when parked. */
export const parkKey = (item: Pick<PendingWork, 'id' | 'sinceMs'>): string => `${item.id}@${item.sinceMs}`;

export const recordedAtMs = (event: RecordedEvent): number => Date.parse(event.metadata.recordedAt);

/** What a pending-work projection may do: read, set and drop its own items (and read others'). */
export interface PendingWriter<I extends PendingWork> {
  get(id: string): Promise<I | null>;
  /** Sets the item; a new episode (another `sinceMs`) starts unparked. */
  put(item: PendingFields<I>): Promise<void>;
  drop(id: string): void;
  /** The batch's view of any other collection (e.g. the orders read model, applied just before). */
  read: ProjectionWriter['get'];
}

/**
 * A process's pending-work projection: `apply` keeps exactly the items the process owes; the
 * parking facts on the process's own stream (`process-<name>`) are applied here for every process.
 */
export function pendingWorkProjection<I extends PendingWork>(
  process: string,
  apply: (event: RecordedEvent, pending: PendingWriter<I>) => Promise<void>,
): Projection {
  const collection = pendingCollection(process);
  const processStream = `process-${process}`;
  return {
    name: `pending-${process}`,
    collections: [collection],
    async apply(event, writer) {
      const get = (id: string) => writer.get<I>(collection, id);
      if (streamKind(event.streamId) === 'process') {
        if (event.streamId !== processStream) return;
        const key = String(event.data.itemId);
        const id = key.slice(0, key.lastIndexOf('@'));
        const item = await get(id);
        if (!item || parkKey(item) !== key) return;
        const parked = event.type === 'WorkParked';
        writer.put(collection, id, {
          ...item,
          parked,
          parkedReason: parked ? String(event.data.reason) : null,
        });
        return;
      }
      await apply(event, {
        get,
        async put(fields) {
          const id = String(fields.id);
          const existing = await get(id);
          const sameEpisode = existing !== null && existing.sinceMs === fields.sinceMs && fields.owed;
          writer.put(collection, id, {
            ...fields,
            parked: sameEpisode ? existing.parked : false,
            parkedReason: sameEpisode ? existing.parkedReason : null,
          });
        },
        drop: (id) => writer.delete(collection, id),
        read: (c, id) => writer.get(c, id),
      });
    },
  };
}
