export interface IdGenerator {
  /** O2: cryptographically random, 20-40 chars of [A-Za-z0-9_-]. */
  orderId(): string;
  /** A random unique id (refund ids, correlation ids). */
  uniqueId(): string;
}
