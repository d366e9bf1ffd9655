/**
 * Signs the history's seals (A2). The private key never leaves the adapter; the public key is
 * what an auditor needs to check every seal.
 */
export interface SealSigner {
  /** The public key, PEM (SPKI). */
  readonly publicKeyPem: string;
  /** sha256 of the public key's SPKI DER, hex. */
  readonly keyId: string;
  /** An Ed25519 signature of `message`, base64. */
  sign(message: Buffer): string;
}
