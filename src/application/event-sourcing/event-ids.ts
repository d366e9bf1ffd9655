import { hash } from 'node:crypto';

/**
 * Event ids derived from the command id, the stream and the event's revision, formatted as a
 * UUID (EventStoreDB requires one): a retried append of the same command at the same revision
 * carries the same ids and is recognised by the store as already written.
 */
export function deriveEventId(commandId: string, streamId: string, revision: number): string {
  const hex = hash('sha256', `${commandId}\u0000${streamId}\u0000${revision}`, 'hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
