import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../event-sourcing/canonical-json';
import type { StreamHead } from './merkle-root';

/** The sealer's own stream (A2): one `HistorySealed` event per seal, chained like every stream. */
export const SEAL_STREAM = 'audit-seals';
export const SEAL_EVENT = 'HistorySealed';

/**
 * A seal: what the history held at one global position, signed with the service's Ed25519 key.
 * The signature covers every other field (canonical JSON, see `sealMessage`).
 */
export type SealData = {
  /** 0 for the first seal; equals the seal event's revision in `audit-seals`. */
  sequence: number;
  /** ISO-8601 from the Clock. */
  sealedAt: string;
  /** The cut: every event of every other stream at or before this global position, none after. */
  globalPosition: number;
  /** Events in the other streams at the cut, and how many streams they make. */
  eventCount: number;
  streamCount: number;
  /** Every stream changed since the previous seal, in stream id order, with its head at the cut. */
  streams: StreamHead[];
  /** Over the heads of every stream at the cut (see merkle-root.ts). */
  merkleRoot: string;
  /** The previous seal event's hash (its `metadata.hash`), '' for the first seal. */
  previousSeal: string;
  /** sha256 of the public key (SPKI DER), hex: which key signed. */
  keyId: string;
  /** Ed25519 over `sealMessage(seal)`, base64. */
  signature: string;
};

/** The bytes a seal's signature covers: its canonical JSON without the signature. */
export function sealMessage(seal: Omit<SealData, 'signature'> & { signature?: string }): Buffer {
  const { signature: _signature, ...signed } = seal;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

/** The key id of a public key in PEM: sha256 of its SPKI DER encoding, hex. */
export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return hash('sha256', der, 'hex');
}

const parsedKeys = new Map<string, KeyObject>();

/** Checks a seal's signature with the public key alone (parsed once: an audit checks a thousand seals). */
export function sealSignatureValid(seal: SealData, publicKeyPem: string): boolean {
  try {
    let key = parsedKeys.get(publicKeyPem);
    if (key === undefined) {
      key = createPublicKey(publicKeyPem);
      if (parsedKeys.size > 16) parsedKeys.clear();
      parsedKeys.set(publicKeyPem, key);
    }
    return verify(null, sealMessage(seal), key, Buffer.from(seal.signature, 'base64'));
  } catch {
    return false;
  }
}
