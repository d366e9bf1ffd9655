import { hash } from 'node:crypto';
import { EMPTY_MERKLE_ROOT, merkleLeaf, merkleRoot } from '../../../src/application/audit/merkle-root';

const sha = (text: string) => hash('sha256', text, 'hex');
const a = { streamId: 'order-a', count: 3, head: 'h-a' };
const b = { streamId: 'order-b', count: 1, head: 'h-b' };
const c = { streamId: 'payment-a', count: 2, head: 'h-c' };

describe('the Merkle root over stream heads (A2), as documented', () => {
  it('is sha256("ledgerline-merkle-empty") for no stream and the leaf itself for one', () => {
    expect(merkleRoot([])).toBe(EMPTY_MERKLE_ROOT);
    expect(EMPTY_MERKLE_ROOT).toBe(sha('ledgerline-merkle-empty'));
    expect(merkleRoot([a])).toBe(sha('leaf\norder-a\n3\nh-a'));
  });

  it('pairs leaves in stream id order and moves an odd last node up unchanged', () => {
    const ab = sha(`node\n${merkleLeaf(a)}${merkleLeaf(b)}`);
    expect(merkleRoot([c, b, a])).toBe(sha(`node\n${ab}${merkleLeaf(c)}`));
  });

  it('changes with any count or head', () => {
    const root = merkleRoot([a, b, c]);
    expect(merkleRoot([a, { ...b, count: 2 }, c])).not.toBe(root);
    expect(merkleRoot([a, b, { ...c, head: 'other' }])).not.toBe(root);
    expect(merkleRoot([a, b])).not.toBe(root);
  });
});
