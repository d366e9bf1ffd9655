import { hash } from 'node:crypto';
import type { EventMetadata } from '../ports/event-store.port';
import { canonicalJson } from './canonical-json';

/** The fields of an event that its hash covers: everything but the hash itself. */
export interface HashedContent {
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Omit<EventMetadata, 'hash'>;
}

/**
 * A2: each event's hash covers its stream, revision, type, data and metadata (including the
 * previous event's hash), so changing, removing or reordering an event breaks the chain.
 */
export function eventHash(content: HashedContent): string {
  return hash('sha256', canonicalJson(content), 'hex');
}

export const GENESIS_HASH = '';
