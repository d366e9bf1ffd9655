import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/shared/domain-error';
import type { ApiKeyStore, StoredApiKey } from '../ports/api-key-store.port';
import type { Clock } from '../ports/clock.port';
import { isApiKeyScope, type ApiKeyScope } from './api-key-scopes';

/** What an admin sees of a key: never its secret or hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A key that authenticated: its id and scopes. */
export interface ApiKeyIdentity {
  id: string;
  scopes: readonly ApiKeyScope[];
}

export type ApiKeyCheck = { ok: true; key: ApiKeyIdentity } | { ok: false; reason: 'invalid' | 'revoked' };

/** `ll_` + 16 hex (the id) + `_` + 43 base64url characters (32 random bytes: the secret). */
export const API_KEY_PREFIX = 'll_';
const KEY_TEXT = /^ll_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Creates, lists, revokes and checks API keys. A key's secret is 256 random bits, so its
 * sha256 is safe to store (nothing to brute-force) and cheap to check on every request; the
 * id in the key text finds the record, and the hashes are compared in constant time.
 */
export class ApiKeys {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly clock: Clock,
  ) {}

  /** The new key and its secret: the only time the secret is shown. */
  async create(input: {
    name: string;
    scopes: readonly ApiKeyScope[];
    createdBy: string;
  }): Promise<{ key: ApiKeyView; secret: string }> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredApiKey = {
      id,
      name: input.name,
      scopes: [...new Set(input.scopes)].sort(),
      secretHash: sha256(secret).toString('hex'),
      createdBy: input.createdBy,
      createdAt: new Date(this.clock.now()).toISOString(),
      revokedAt: null,
    };
    await this.store.insert(stored);
    return { key: viewOf(stored), secret: `${API_KEY_PREFIX}${id}_${secret}` };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.store.list()).map(viewOf);
  }

  /** Revokes at once; revoking again keeps the first instant. NOT_FOUND for an unknown id. */
  async revoke(id: string): Promise<ApiKeyView> {
    const revoked = await this.store.revoke(id, new Date(this.clock.now()).toISOString());
    if (!revoked) throw new DomainError('NOT_FOUND', `no API key ${id}`);
    return viewOf(revoked);
  }

  /** Judges a presented key text (`ll_...`); read from the store on every call, so revocation is immediate. */
  async check(text: string): Promise<ApiKeyCheck> {
    const match = KEY_TEXT.exec(text);
    if (!match) return { ok: false, reason: 'invalid' };
    const [, id, secret] = match as unknown as [string, string, string];
    const stored = await this.store.find(id);
    // Hash even when the id is unknown, so the answer takes as long either way.
    const given = sha256(secret);
    const expected = stored ? Buffer.from(stored.secretHash, 'hex') : sha256('');
    const same = expected.length === given.length && timingSafeEqual(expected, given);
    if (!stored || !same) return { ok: false, reason: 'invalid' };
    if (stored.revokedAt !== null) return { ok: false, reason: 'revoked' };
    return { ok: true, key: { id: stored.id, scopes: stored.scopes.filter(isApiKeyScope) } };
  }
}

function viewOf(key: StoredApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes.filter(isApiKeyScope),
    createdBy: key.createdBy,
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
  };
}
