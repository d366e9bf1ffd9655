/** What the audit found wrong, each with the stream, revision and global position that prove it. */
export type FindingKind =
  /** An event's content no longer matches its own hash: it was changed. */
  | 'hash-mismatch'
  /** An event's prevHash is not its predecessor's hash: an event before it was removed, inserted or replaced. */
  | 'chain-broken'
  /** Revisions missing before this event: events were deleted from the middle of the stream. */
  | 'revision-gap'
  /** A revision at or below one already read: events were moved or duplicated. */
  | 'revision-out-of-order'
  /** A seal whose Ed25519 signature (or key id) does not check out: forged or altered. */
  | 'seal-invalid'
  /** The seals do not chain: a seal was removed, replaced or reordered. */
  | 'seal-chain-broken'
  /** A stream a seal vouches for is gone. */
  | 'sealed-stream-missing'
  /** A stream holds fewer events than a seal vouches for: its tail was dropped. */
  | 'sealed-events-missing'
  /** A stream's head differs from the sealed one: events were edited and their hashes recomputed. */
  | 'sealed-head-mismatch'
  /** An event at or before a seal's cut that the seal does not account for: it was inserted later. */
  | 'unsealed-event'
  /** A seal's Merkle root does not match the heads at its cut (and nothing above explains it). */
  | 'merkle-root-mismatch'
  /** A business rule checked over the events does not hold. */
  | 'rule-violated'
  /** Work a process parked (P2) and no operator has retried since. */
  | 'work-parked'
  /** A stored read-model document differs from the audit's own fold of the events (or is extra or missing). */
  | 'read-model-differs';

export interface Finding {
  kind: FindingKind;
  /** For `rule-violated`: which rule. */
  rule?: string;
  streamId: string;
  /** The first revision concerned (the first missing one, for a gap or a dropped tail). */
  revision: number | null;
  /** The last revision concerned, when a range is proven rather than one event. */
  toRevision?: number;
  /** The global position of the event concerned; when it is gone, of the seal that vouches for it. */
  globalPosition: number | null;
  /** The seal (its sequence) that proves the finding, for the seal kinds. */
  seal?: number;
  /** For `read-model-differs`: the collection, the document and the fields that differ. */
  collection?: string;
  documentId?: string;
  fields?: string[];
  detail: string;
}
