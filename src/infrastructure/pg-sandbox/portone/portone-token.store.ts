import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

export const TOKEN_LIFETIME_S = 30 * 60;
/** Asking in the last minute of a token's life extends it, so racing servers keep one token. */
export const TOKEN_EXTEND_WINDOW_S = 60;
export const TOKEN_EXTENSION_S = 5 * 60;

export interface IssuedToken {
  access_token: string;
  /** Unix seconds. */
  now: number;
  expired_at: number;
}

/** PortOne v1 access tokens (one REST key per sandbox), judged by the service's clock. */
export class PortoneTokenStore {
  constructor(private readonly db: Database.Database) {}

  issue(nowMs: number): IssuedToken {
    const now = Math.floor(nowMs / 1000);
    return this.db.transaction((): IssuedToken => {
      this.db.prepare('DELETE FROM portone_tokens WHERE expired_at <= ?').run(now);
      const current = this.db
        .prepare('SELECT access_token, expired_at FROM portone_tokens ORDER BY expired_at DESC LIMIT 1')
        .get() as { access_token: string; expired_at: number } | undefined;
      if (!current) {
        const token = randomBytes(20).toString('hex');
        const expiredAt = now + TOKEN_LIFETIME_S;
        this.db
          .prepare('INSERT INTO portone_tokens (access_token, issued_at, expired_at) VALUES (?, ?, ?)')
          .run(token, now, expiredAt);
        return { access_token: token, now, expired_at: expiredAt };
      }
      if (current.expired_at - now <= TOKEN_EXTEND_WINDOW_S) {
        const extended = current.expired_at + TOKEN_EXTENSION_S;
        this.db
          .prepare('UPDATE portone_tokens SET expired_at = ? WHERE access_token = ?')
          .run(extended, current.access_token);
        return { access_token: current.access_token, now, expired_at: extended };
      }
      return { access_token: current.access_token, now, expired_at: current.expired_at };
    })();
  }

  isValid(token: string, nowMs: number): boolean {
    const row = this.db.prepare('SELECT expired_at FROM portone_tokens WHERE access_token = ?').get(token) as
      { expired_at: number } | undefined;
    return row !== undefined && nowMs < row.expired_at * 1000;
  }
}
