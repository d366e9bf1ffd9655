import type { RecordedEvent } from '../ports/event-store.port';
import type { Finding } from './audit-finding';
import { merkleLeafDigest, MerkleTree } from './merkle-root';
import { keyIdOf, SEAL_STREAM, sealSignatureValid, type SealData } from './seal';
import type { StreamChains } from './stream-chains';

/** A seal that checked out: signed by the key, with what it follows. */
export interface SealRecord {
  event: RecordedEvent;
  seal: SealData;
  /** The seal before it is missing or invalid: what changed since cannot be attributed to it. */
  afterBreak: boolean;
}

/**
 * The seal stream on its own: each seal signed by the public key, numbered from 0 without a
 * gap, linked to the previous seal event's hash, its cut before its own position and not before
 * the previous cut. Returns the seals that can vouch for the history.
 */
export function checkSealStream(events: readonly RecordedEvent[], publicKeyPem: string, findings: Finding[]) {
  const keyId = keyIdOf(publicKeyPem);
  const valid: SealRecord[] = [];
  let previous: { event: RecordedEvent; seal: SealData } | null = null;
  let broken = false;
  for (const event of events) {
    const seal = event.data as SealData;
    const at = {
      streamId: SEAL_STREAM,
      revision: event.revision,
      globalPosition: event.globalPosition,
      seal: seal.sequence,
    };
    const expectedSequence = previous ? previous.seal.sequence + 1 : 0;
    const expectedLink = previous ? previous.event.metadata.hash : '';
    if (seal.sequence !== expectedSequence || seal.previousSeal !== expectedLink) {
      findings.push({
        ...at,
        kind: 'seal-chain-broken',
        revision: previous ? previous.event.revision + 1 : 0,
        detail: `seal ${seal.sequence} does not follow ${previous ? `seal ${previous.seal.sequence}` : 'the start'}: a seal before it was removed or replaced`,
      });
      broken = true;
    }
    const signed = seal.keyId === keyId && sealSignatureValid(seal, publicKeyPem);
    const cutOk =
      Number.isInteger(seal.globalPosition) &&
      seal.globalPosition < event.globalPosition &&
      (previous === null || seal.globalPosition >= previous.seal.globalPosition);
    if (!signed || !cutOk) {
      findings.push({
        ...at,
        kind: 'seal-invalid',
        detail: signed
          ? `seal ${seal.sequence} cuts the log at an impossible position`
          : `seal ${seal.sequence} is not signed by the audit key`,
      });
      broken = true;
    } else {
      valid.push({ event, seal, afterBreak: broken });
      broken = false;
    }
    previous = { event, seal };
  }
  return valid;
}

/**
 * Each seal checked at its cut, while the log is read in global order: every stream it lists
 * must have exactly the sealed count and head there, every stream changed since the previous
 * seal must be listed, and the Merkle root over all heads must match.
 */
export class SealCuts {
  private next = 0;
  /** Streams changed since the previous cut: their first event in that window. */
  private readonly changed = new Map<string, { revision: number; globalPosition: number }>();
  /** The Merkle tree over every other stream's head, leaves in order of first appearance. */
  private readonly slots = new Map<string, number>();
  private readonly tree = new MerkleTree();

  /** The seals not checked yet: each is let go once checked (their lists are most of the audit's memory). */
  private readonly seals: (SealRecord | undefined)[];

  constructor(
    seals: readonly SealRecord[],
    private readonly chains: StreamChains,
    private readonly findings: Finding[],
  ) {
    this.seals = [...seals];
  }

  /** Before the event at `position` is applied: the seals whose cut lies before it. */
  before(position: number): void {
    while (this.next < this.seals.length && position > this.seals[this.next]!.seal.globalPosition) {
      this.checkNext();
    }
  }

  /** After the chains took an event of a stream other than the seals'. */
  changedBy(streamId: string, revision: number, globalPosition: number): void {
    if (this.changed.has(streamId)) return;
    this.changed.set(streamId, { revision, globalPosition });
    if (!this.slots.has(streamId)) this.slots.set(streamId, this.slots.size);
  }

  finish(): void {
    while (this.next < this.seals.length) this.checkNext();
  }

  private checkNext(): void {
    const record = this.seals[this.next]!;
    this.seals[this.next++] = undefined;
    this.check(record);
  }

  private check({ event, seal, afterBreak }: SealRecord): void {
    const before = this.findings.length;
    const sealAt = { seal: seal.sequence };
    const listed = new Set<string>();
    for (const sealed of seal.streams) {
      listed.add(sealed.streamId);
      const track = this.chains.streams.get(sealed.streamId);
      const last = sealed.count - 1;
      if (track === undefined) {
        this.findings.push({
          ...sealAt,
          kind: 'sealed-stream-missing',
          streamId: sealed.streamId,
          revision: 0,
          toRevision: last,
          globalPosition: event.globalPosition,
          detail: `seal ${seal.sequence} vouches for ${sealed.count} events of a stream the store no longer holds`,
        });
      } else if (track.count < sealed.count) {
        this.findings.push({
          ...sealAt,
          kind: 'sealed-events-missing',
          streamId: sealed.streamId,
          revision: track.count,
          toRevision: last,
          globalPosition: event.globalPosition,
          detail: `seal ${seal.sequence} vouches for revisions up to ${last}; the store ends at ${track.count - 1}`,
        });
      } else if (track.count > sealed.count) {
        this.findings.push({
          ...sealAt,
          kind: 'unsealed-event',
          streamId: sealed.streamId,
          revision: sealed.count,
          globalPosition: track.positions[sealed.count] ?? null,
          detail: `seal ${seal.sequence} vouches for ${sealed.count} events; the store holds ${track.count} at its cut`,
        });
      } else if (track.head !== sealed.head) {
        this.findings.push({
          ...sealAt,
          kind: 'sealed-head-mismatch',
          streamId: sealed.streamId,
          revision: track.proven,
          toRevision: last,
          globalPosition: track.positions[track.proven] ?? null,
          detail: `the head differs from seal ${seal.sequence}'s: revisions ${track.proven}–${last} were rewritten`,
        });
      } else {
        track.proven = sealed.count;
      }
    }
    if (!afterBreak) {
      for (const [streamId, first] of this.changed) {
        if (listed.has(streamId) || streamId === SEAL_STREAM) continue;
        this.findings.push({
          ...sealAt,
          ...first,
          kind: 'unsealed-event',
          streamId,
          detail: `changed before seal ${seal.sequence}'s cut but not listed by it: inserted afterwards`,
        });
      }
    }
    for (const streamId of this.changed.keys()) {
      const track = this.chains.streams.get(streamId)!;
      this.tree.set(
        this.slots.get(streamId)!,
        merkleLeafDigest({ streamId, count: track.count, head: track.head }),
      );
    }
    this.changed.clear();
    if (this.findings.length === before && this.tree.root() !== seal.merkleRoot) {
      this.findings.push({
        ...sealAt,
        kind: 'merkle-root-mismatch',
        streamId: SEAL_STREAM,
        revision: event.revision,
        globalPosition: event.globalPosition,
        detail: `the heads at seal ${seal.sequence}'s cut do not give its Merkle root`,
      });
    }
  }
}
