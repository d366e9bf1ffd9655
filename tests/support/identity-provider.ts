import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A signing key of the test identity provider. */
export interface IdpKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  jwk: JWK;
}

export async function idpKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<IdpKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * An identity provider for tests: serves `keys` as a JWKS over loopback HTTP (the set can be
 * changed while it runs: a rotation) and counts the fetches.
 */
export class TestIdentityProvider {
  readonly issuer = 'https://idp.test/realms/ledgerline';
  keys: IdpKey[] = [];
  fetches = 0;
  private server: http.Server | undefined;
  url = '';

  static async start(keys: IdpKey[]): Promise<TestIdentityProvider> {
    const idp = new TestIdentityProvider();
    idp.keys = keys;
    idp.server = http.createServer((_req, res) => {
      idp.fetches += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: idp.keys.map((key) => key.jwk) }));
    });
    await new Promise<void>((resolve) => idp.server?.listen(0, '127.0.0.1', resolve));
    idp.url = `http://127.0.0.1:${(idp.server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
    return idp;
  }

  /** A token signed with `key`: issuer, audience `ledgerline`, sub and role, valid for an hour. */
  sign(
    key: IdpKey,
    claims: JWTPayload = {},
    options: { nowSeconds?: number; lifetimeSeconds?: number; header?: Record<string, unknown> } = {},
  ): Promise<string> {
    const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.issuer, aud: 'ledgerline', sub: 'idp-user-1', role: 'user', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
      .setIssuedAt(now)
      .setExpirationTime(now + (options.lifetimeSeconds ?? 3_600))
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** `alg: none`: an unsigned token with the given claims. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
