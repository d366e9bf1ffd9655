import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SealSigner } from '../../application/ports/seal-signer.port';
import { keyIdOf } from '../../application/audit/seal';

/** Where sandbox mode keeps its generated key pair, under DATA_DIR. */
export const SANDBOX_SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const SANDBOX_PUBLIC_KEY_FILE = 'audit-public-key.pem';

/** The signing key could not be used: the message names the file, never the key. */
export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Signs seals with an Ed25519 private key held in memory only. */
export class Ed25519SealSigner implements SealSigner {
  readonly publicKeyPem: string;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new SigningKeyError('the seal signing key must be Ed25519');
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = keyIdOf(this.publicKeyPem);
  }

  /** The key in `file` (PEM, PKCS#8). */
  static fromFile(file: string): Ed25519SealSigner {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SigningKeyError(
        `AUDIT_SIGNING_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    try {
      return new Ed25519SealSigner(createPrivateKey(pem));
    } catch (error) {
      if (error instanceof SigningKeyError)
        throw new SigningKeyError(`AUDIT_SIGNING_KEY_FILE: ${error.message}`);
      throw new SigningKeyError(`AUDIT_SIGNING_KEY_FILE: ${file} holds no PEM private key`);
    }
  }

  /**
   * Sandbox mode: the key pair in DATA_DIR, generated on first start (the private key readable by
   * its owner only), with the public key beside it for `npm run audit`.
   */
  static sandbox(dataDir: string): Ed25519SealSigner {
    const file = path.join(dataDir, SANDBOX_SIGNING_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
    const signer = Ed25519SealSigner.fromFile(file);
    writeFileSync(path.join(dataDir, SANDBOX_PUBLIC_KEY_FILE), signer.publicKeyPem);
    return signer;
  }

  sign(message: Buffer): string {
    return sign(null, message, this.privateKey).toString('base64');
  }
}
