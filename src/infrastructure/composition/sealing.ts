import path from 'node:path';
import { Sealer } from '../../application/audit/sealer';
import type { SealSigner } from '../../application/ports/seal-signer.port';
import { Ed25519SealSigner, SigningKeyError } from '../audit/ed25519-seal-signer';
import { MerkleSnapshotFile } from '../audit/merkle-snapshot-file';
import type { Settings } from '../config/settings';
import type { Adapters } from './adapters';

/** The seal key: AUDIT_SIGNING_KEY_FILE, or in sandbox mode a key generated into DATA_DIR. */
export function sealSigner(settings: Settings): SealSigner {
  if (settings.audit.signingKeyFile) return Ed25519SealSigner.fromFile(settings.audit.signingKeyFile);
  if (settings.paymentsMode === 'sandbox') return Ed25519SealSigner.sandbox(settings.dataDir);
  throw new SigningKeyError('AUDIT_SIGNING_KEY_FILE: required in live mode');
}

/** A2's background sealer over the composed event store and clock. */
export function createSealer(
  settings: Settings,
  adapters: Adapters,
  report: (source: string, error: unknown) => void,
  signer: SealSigner = sealSigner(settings),
): Sealer {
  return new Sealer(
    adapters.eventStore,
    adapters.clock,
    signer,
    { intervalMs: settings.audit.sealIntervalMs, everyEvents: settings.audit.sealEveryEvents },
    report,
    new MerkleSnapshotFile(path.join(settings.dataDir, 'merkle-snapshot.bin')),
  );
}
