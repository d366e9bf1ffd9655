import { hash } from 'node:crypto';

/** One stream's head as a seal records it: how many events it holds and its last event's hash. */
export interface StreamHead {
  streamId: string;
  count: number;
  head: string;
}

/** The root of an empty history (no stream yet). */
export const EMPTY_MERKLE_ROOT = hash('sha256', 'ledgerline-merkle-empty', 'hex');

const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** A leaf: the stream, its event count and head hash, newline-separated, with a leaf prefix. */
export const merkleLeaf = (head: StreamHead): string =>
  sha256(`leaf\n${head.streamId}\n${head.count}\n${head.head}`);

/** Orders stream ids by UTF-16 code units (JavaScript's default string order). */
export const byStreamId = (a: StreamHead, b: StreamHead): number =>
  a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0;

/**
 * The Merkle root over every stream head (A2), defined so any other implementation can
 * recompute it:
 * - leaves are `sha256("leaf\n" + streamId + "\n" + count + "\n" + head)` (hex), taken in stream
 *   id order (UTF-16 code units);
 * - each level pairs neighbours: `sha256("node\n" + left + right)` (hex strings concatenated);
 *   an odd last node moves up unchanged (never duplicated, so two lists cannot share a root);
 * - the root of no streams is `sha256("ledgerline-merkle-empty")`.
 * The prefixes keep a leaf from ever being read as an inner node.
 */
export function merkleRoot(heads: Iterable<StreamHead>): string {
  let level = [...heads].sort(byStreamId).map(merkleLeaf);
  if (level.length === 0) return EMPTY_MERKLE_ROOT;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha256(`node\n${level[i]}${level[i + 1]}`) : level[i]);
    }
    level = next;
  }
  return level[0];
}
