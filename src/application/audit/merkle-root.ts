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

/**
 * The same leaf as a 32-byte digest, its input written into a reused buffer: a start that loads
 * several hundred thousand heads makes no string per leaf (the garbage of that load was what
 * the resident memory after start caught).
 */
export function merkleLeafDigest(head: StreamHead): Buffer {
  const needed = 16 + 3 * head.streamId.length + head.head.length + 24;
  if (scratch.length < needed) scratch = Buffer.alloc(needed * 2);
  let at = scratch.write('leaf\n', 0, 'latin1');
  at += scratch.write(head.streamId, at, 'utf8');
  at += scratch.write(`\n${head.count}\n`, at, 'latin1');
  at += scratch.write(head.head, at, 'utf8');
  return hash('sha256', scratch.subarray(0, at), 'buffer') as unknown as Buffer;
}

let scratch = Buffer.alloc(512);

/** Two digests as `"node\n" + hex(left) + hex(right)`, written into a reused buffer. */
const NODE_PREFIX = 5;
const nodeInput = Buffer.alloc(NODE_PREFIX + 128);
nodeInput.write('node\n', 0, 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');

function writeHex(from: Buffer, start: number, at: number): void {
  for (let i = 0; i < 32; i++) {
    const byte = from[start + i];
    nodeInput[at + 2 * i] = HEX[byte >> 4];
    nodeInput[at + 2 * i + 1] = HEX[byte & 15];
  }
}

/**
 * The Merkle root over every stream head (A2), defined so any other implementation can
 * recompute it from the log:
 * - leaves are `sha256("leaf\n" + streamId + "\n" + count + "\n" + head)` (hex), taken in the
 *   order the streams first appear in the log (by the global position of their first event), so
 *   a new stream adds a leaf at the end and a seal re-hashes only the paths of what changed;
 * - each level pairs neighbours: `sha256("node\n" + left + right)` (hex strings concatenated);
 *   an odd last node moves up unchanged (never duplicated, so two lists cannot share a root);
 * - the root of no streams is `sha256("ledgerline-merkle-empty")`.
 * The prefixes keep a leaf from ever being read as an inner node. `heads` come in that order.
 */
export function merkleRoot(heads: Iterable<StreamHead>): string {
  const tree = new MerkleTree();
  for (const head of heads) tree.set(tree.size, merkleLeafDigest(head));
  return tree.root();
}

/** A level of the tree: its nodes' sha256 digests end to end, 32 bytes each (a third of the memory hex strings take). */
class Level {
  constructor(
    public bytes: Buffer = Buffer.alloc(32 * 1024),
    public size = 0,
  ) {}

  hex(index: number): string {
    return this.bytes.toString('hex', index * 32, index * 32 + 32);
  }

  set(index: number, digest: Buffer | string): void {
    if (index >= this.size) {
      this.size = index + 1;
      if (this.bytes.length < this.size * 32) {
        const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.size * 32));
        this.bytes.copy(grown);
        this.bytes = grown;
      }
    }
    if (typeof digest === 'string') this.bytes.write(digest, index * 32, 32, 'hex');
    else digest.copy(this.bytes, index * 32);
  }

  copy(index: number, from: Level, fromIndex: number): void {
    this.set(index, from.bytes.subarray(fromIndex * 32, fromIndex * 32 + 32));
  }
}

/**
 * The same root kept up to date: leaves are set by index (a new one at `size`), and `root()`
 * re-hashes only the nodes above the leaves set since the last call, so a seal over a history
 * of 300,000 streams costs a few thousand hashes, not 600,000.
 */
export class MerkleTree {
  /** levels[0]: the leaves; levels[d][i] = node(levels[d-1][2i], levels[d-1][2i+1]). */
  private readonly levels: Level[];
  private dirty: number[] = [];

  constructor(levels: Level[] = [new Level()]) {
    this.levels = levels;
  }

  /**
   * A tree from its leaves kept elsewhere (`leafBytes()`): every level above them is hashed again
   * by the next `root()`, so the root tells whether the leaves are the ones it should be. The
   * array becomes the leaves' storage as it is (give it room to grow). Throws when the leaves do
   * not fit the count.
   */
  static fromLeaves(leaves: Uint8Array, leafCount: number): MerkleTree {
    if (!Number.isSafeInteger(leafCount) || leafCount < 0 || leaves.length < leafCount * 32) {
      throw new RangeError(`Merkle leaves: ${leafCount} do not fit in ${leaves.length} bytes`);
    }
    const tree = new MerkleTree([
      new Level(Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength), leafCount),
    ]);
    tree.dirty = Array.from({ length: leafCount }, (_, i) => i);
    return tree;
  }

  /** The leaves' bytes (a view of the tree's own). */
  leafBytes(): Uint8Array {
    const leaves = this.levels[0];
    return leaves.bytes.subarray(0, leaves.size * 32);
  }

  get size(): number {
    return this.levels[0].size;
  }

  /** Sets leaf `index` (a digest, as `merkleLeaf` or `merkleLeafDigest` gives); `index === size` adds one at the end. */
  set(index: number, leaf: string | Buffer): void {
    const leaves = this.levels[0];
    if (index > leaves.size || index < 0) throw new RangeError(`leaf ${index} of ${leaves.size}`);
    leaves.set(index, leaf);
    this.dirty.push(index);
  }

  root(): string {
    let below = this.levels[0];
    if (below.size === 0) return EMPTY_MERKLE_ROOT;
    let dirty = this.dirty.sort((a, b) => a - b);
    this.dirty = [];
    for (let depth = 1; below.size > 1; depth++) {
      const level = (this.levels[depth] ??= new Level());
      const parents: number[] = [];
      for (const index of dirty) {
        const parent = index >> 1;
        if (parents[parents.length - 1] === parent) continue;
        parents.push(parent);
        const left = 2 * parent;
        if (left + 1 < below.size) {
          writeHex(below.bytes, left * 32, NODE_PREFIX);
          writeHex(below.bytes, (left + 1) * 32, NODE_PREFIX + 64);
          level.set(parent, hash('sha256', nodeInput, 'buffer') as unknown as Buffer);
        } else {
          level.copy(parent, below, left);
        }
      }
      dirty = parents;
      below = level;
    }
    return below.hex(0);
  }
}
