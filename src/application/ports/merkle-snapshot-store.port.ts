/**
 * The sealer's Merkle tree as it stood at one seal, kept between runs, so a restart loads it in
 * one read instead of hashing a leaf per stream again (see Sealer). Trusted only when it names
 * the last seal of the log and its root is that seal's root.
 */
export interface MerkleSnapshot {
  /** The seal it stands at: its sequence and its event's hash. */
  sealSequence: number;
  sealHash: string;
  leafCount: number;
  /** The tree's leaves, 32 bytes each (MerkleTree.leafBytes / fromLeaves): the levels above are hashed again. */
  leaves: Uint8Array;
}

export interface MerkleSnapshotStore {
  /** The last snapshot saved, or null when there is none or it cannot be read. */
  load(): Promise<MerkleSnapshot | null>;
  /** Replaces the snapshot, whole or not at all. */
  save(snapshot: MerkleSnapshot): Promise<void>;
}
