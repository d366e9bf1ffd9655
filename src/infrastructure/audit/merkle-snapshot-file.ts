import fs from 'node:fs';
import path from 'node:path';
import type { MerkleSnapshot, MerkleSnapshotStore } from '../../application/ports/merkle-snapshot-store.port';

const FORMAT = 1;

interface Header {
  format: number;
  sealSequence: number;
  sealHash: string;
  leafCount: number;
}

/**
 * The sealer's Merkle snapshot in a file of DATA_DIR: one JSON header line, then the leaves'
 * bytes. Written to a temporary file and renamed over the old one (whole or not at all). Read
 * into an array with an eighth more room, as the tree grows into it.
 */
export class MerkleSnapshotFile implements MerkleSnapshotStore {
  constructor(private readonly filePath: string) {}

  async load(): Promise<MerkleSnapshot | null> {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(this.filePath);
    } catch {
      return null;
    }
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) return null;
    let header: Header;
    try {
      header = JSON.parse(bytes.toString('utf8', 0, newline)) as Header;
    } catch {
      return null;
    }
    const length = bytes.length - newline - 1;
    if (header.format !== FORMAT || length !== header.leafCount * 32) return null;
    const leaves = new Uint8Array(length + Math.ceil(header.leafCount / 8 + 1) * 32);
    leaves.set(bytes.subarray(newline + 1));
    return {
      sealSequence: header.sealSequence,
      sealHash: header.sealHash,
      leafCount: header.leafCount,
      leaves,
    };
  }

  async save(snapshot: MerkleSnapshot): Promise<void> {
    const header: Header = {
      format: FORMAT,
      sealSequence: snapshot.sealSequence,
      sealHash: snapshot.sealHash,
      leafCount: snapshot.leafCount,
    };
    const temporary = path.join(path.dirname(this.filePath), `.${path.basename(this.filePath)}.tmp`);
    const file = await fs.promises.open(temporary, 'w');
    try {
      await file.writeFile(`${JSON.stringify(header)}\n`);
      await file.write(snapshot.leaves);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.promises.rename(temporary, this.filePath);
  }
}
