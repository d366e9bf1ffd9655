import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * An Ed25519 signing key (PEM, PKCS#8) written into `dir`, for a service started in live mode,
 * which needs AUDIT_SIGNING_KEY_FILE (sandbox mode generates its own into DATA_DIR).
 */
export function auditKeyFile(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'audit-signing-key.pem');
  const { privateKey } = generateKeyPairSync('ed25519');
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}
