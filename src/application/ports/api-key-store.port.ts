/**
 * The API keys merchant backends call with. Only a hash of each key's secret is stored: the
 * secret is shown once, when the key is created, and cannot be read back.
 */
export interface StoredApiKey {
  /** Public part of the key (hex), also in the key text: `ll_<id>_<secret>`. */
  id: string;
  name: string;
  scopes: readonly string[];
  /** sha256 of the secret, hex. The secret has 256 bits of entropy, so no slow hash is needed. */
  secretHash: string;
  /** The admin who created it. */
  createdBy: string;
  /** ISO-8601. */
  createdAt: string;
  /** ISO-8601, or null while the key is usable. */
  revokedAt: string | null;
}

/**
 * Contract: `find` sees a `revoke` made through any instance at once (no caching in the
 * adapter), so a revoked key is refused on its very next request.
 */
export interface ApiKeyStore {
  /** Adds a key; its id is new (random), so this never overwrites. */
  insert(key: StoredApiKey): Promise<void>;
  find(id: string): Promise<StoredApiKey | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<StoredApiKey[]>;
  /** Marks the key revoked at `at` unless it already is; the key as stored after, or null when unknown. */
  revoke(id: string, at: string): Promise<StoredApiKey | null>;
  close(): Promise<void>;
}
