import type { Actor } from '../ports/event-store.port';

/** Who and what a command came from: the basis of every event's metadata. */
export interface CommandContext {
  /** Unique per command; retries of the same command reuse it (derived event ids). */
  commandId: string;
  correlationId: string;
  /** The event or request that caused this command. */
  causationId: string;
  actor: Actor;
}

export const systemContext = (
  process: string,
  commandId: string,
  causationId = commandId,
): CommandContext => ({
  commandId,
  correlationId: causationId,
  causationId,
  actor: { kind: 'system', process },
});
