import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import type { ProcessWorld } from './process-harness';

/** The events of one type recorded on a stream, in order. */
export async function recorded(
  world: ProcessWorld,
  streamId: string,
  type: string,
): Promise<RecordedEvent[]> {
  return (await world.events(streamId)).filter((event) => event.type === type);
}

/** The pending (owed, not parked) items of one process, as operators see them. */
export async function pendingOf(world: ProcessWorld, process: string): Promise<number> {
  const job = world.app.processes.find((p) => p.name === process);
  if (!job) throw new Error(`no process ${process}`);
  return (await job.status()).pending;
}
