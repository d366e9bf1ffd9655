import { randomBytes, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../application/ports/id-generator.port';

/**
 * O2: 24 random bytes as base64url give 32 chars of [A-Za-z0-9_-] (192 bits), valid for Toss
 * (6-64) and PortOne (<= 40); the alphabet has no '=' (a bug of the hand-written original).
 */
export class CryptoIdGenerator implements IdGenerator {
  orderId(): string {
    return randomBytes(24).toString('base64url');
  }

  uniqueId(): string {
    return randomUUID();
  }
}
