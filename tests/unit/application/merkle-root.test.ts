import { hash } from 'node:crypto';
import {
  EMPTY_MERKLE_ROOT,
  merkleLeaf,
  merkleLeafDigest,
  merkleRoot,
  MerkleTree,
} from '../../../src/application/audit/merkle-root';

const sha = (text: string) => hash('sha256', text, 'hex');
const a = { streamId: 'order-a', count: 3, head: 'h-a' };
const b = { streamId: 'order-b', count: 1, head: 'h-b' };
const c = { streamId: 'payment-a', count: 2, head: 'h-c' };

describe('the Merkle root over stream heads (A2), as documented', () => {
  it('gives the same leaf as a digest written into a reused buffer, for any stream id and a long head', () => {
    const long = { streamId: `subscription-${'가'.repeat(300)}`, count: 12_345_678, head: 'f'.repeat(64) };
    for (const head of [a, b, c, long, a]) {
      expect(merkleLeafDigest(head).toString('hex')).toBe(merkleLeaf(head));
    }
  });

  it('is sha256("ledgerline-merkle-empty") for no stream and the leaf itself for one', () => {
    expect(merkleRoot([])).toBe(EMPTY_MERKLE_ROOT);
    expect(EMPTY_MERKLE_ROOT).toBe(sha('ledgerline-merkle-empty'));
    expect(merkleRoot([a])).toBe(sha('leaf\norder-a\n3\nh-a'));
  });

  it('pairs leaves in the order the streams first appear and moves an odd last node up unchanged', () => {
    const ab = sha(`node\n${merkleLeaf(a)}${merkleLeaf(b)}`);
    expect(merkleRoot([a, b, c])).toBe(sha(`node\n${ab}${merkleLeaf(c)}`));
    const cb = sha(`node\n${merkleLeaf(c)}${merkleLeaf(b)}`);
    expect(merkleRoot([c, b, a])).toBe(sha(`node\n${cb}${merkleLeaf(a)}`));
  });

  it('kept up to date leaf by leaf, gives the root computed from scratch at every step', () => {
    const tree = new MerkleTree();
    const heads = Array.from({ length: 37 }, (_, i) => ({ streamId: `s-${i}`, count: 1, head: `h${i}` }));
    for (let i = 0; i < heads.length; i++) {
      tree.set(i, merkleLeaf(heads[i]));
      // some earlier streams change too, as a seal's window brings
      for (const j of [0, Math.floor(i / 2), i - 1].filter((j) => j >= 0 && j < i)) {
        heads[j] = { ...heads[j], count: heads[j].count + 1 };
        tree.set(j, merkleLeaf(heads[j]));
      }
      if (i % 3 !== 1) expect(tree.root()).toBe(merkleRoot(heads.slice(0, i + 1)));
    }
    expect(tree.root()).toBe(merkleRoot(heads));
    expect(new MerkleTree().root()).toBe(EMPTY_MERKLE_ROOT);
  });

  it.each([0, 1, 2, 3, 5, 1000, 4097])(
    'rebuilt from its leaves (%i), hashes the same root again, and stays right as leaves change and grow',
    (n) => {
      const heads = Array.from({ length: n }, (_, i) => ({ streamId: `s-${i}`, count: 1, head: `h${i}` }));
      const built = new MerkleTree();
      heads.forEach((head, i) => built.set(i, merkleLeaf(head)));
      const moved = MerkleTree.fromLeaves(Uint8Array.from(built.leafBytes()), n);
      expect(moved.size).toBe(n);
      expect(moved.root()).toBe(built.root());
      for (let i = n; i < n + Math.ceil(n / 4) + 3; i++) {
        heads.push({ streamId: `s-${i}`, count: 1, head: `h${i}` });
        moved.set(i, merkleLeaf(heads[i]));
      }
      if (n > 0) {
        heads[0] = { ...heads[0], count: 2 };
        moved.set(0, merkleLeaf(heads[0]));
      }
      expect(moved.root()).toBe(merkleRoot(heads));
    },
  );

  it('rebuilt from leaves with one byte changed, gives another root; refuses leaves that do not fit the count', () => {
    const tree = new MerkleTree();
    for (let i = 0; i < 9; i++) tree.set(i, merkleLeaf({ streamId: `s-${i}`, count: 1, head: 'h' }));
    const leaves = Uint8Array.from(tree.leafBytes());
    leaves[5 * 32 + 7] ^= 1;
    expect(MerkleTree.fromLeaves(leaves, 9).root()).not.toBe(tree.root());
    expect(() => MerkleTree.fromLeaves(leaves, 10)).toThrow(RangeError);
    expect(() => MerkleTree.fromLeaves(leaves, -1)).toThrow(RangeError);
  });

  it('changes with any count or head', () => {
    const root = merkleRoot([a, b, c]);
    expect(merkleRoot([a, { ...b, count: 2 }, c])).not.toBe(root);
    expect(merkleRoot([a, b, { ...c, head: 'other' }])).not.toBe(root);
    expect(merkleRoot([a, b])).not.toBe(root);
  });
});
