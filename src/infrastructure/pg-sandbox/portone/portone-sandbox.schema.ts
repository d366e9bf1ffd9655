import type Database from 'better-sqlite3';

/**
 * The PortOne sandbox's tables in the shared sandbox database (all prefixed `portone_`).
 * Mutable payment state has its own columns; descriptive fields fixed at creation (card,
 * buyer, pg_tid...) live in a JSON `details` column so adding one needs no migration.
 */
export function ensurePortoneSandboxSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS portone_payments (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      imp_uid       TEXT    NOT NULL UNIQUE,
      merchant_uid  TEXT    NOT NULL,
      status        TEXT    NOT NULL,
      amount        INTEGER NOT NULL,
      cancel_amount INTEGER NOT NULL DEFAULT 0,
      started_at    INTEGER NOT NULL,
      paid_at       INTEGER NOT NULL DEFAULT 0,
      failed_at     INTEGER NOT NULL DEFAULT 0,
      cancelled_at  INTEGER NOT NULL DEFAULT 0,
      fail_reason   TEXT,
      cancel_reason TEXT,
      details       TEXT    NOT NULL
    );
    CREATE INDEX IF NOT EXISTS portone_payments_by_merchant ON portone_payments (merchant_uid, started_at);
    CREATE TABLE IF NOT EXISTS portone_cancels (
      seq             INTEGER PRIMARY KEY AUTOINCREMENT,
      imp_uid         TEXT    NOT NULL,
      pg_tid          TEXT    NOT NULL UNIQUE,
      cancellation_id TEXT    NOT NULL,
      amount          INTEGER NOT NULL,
      cancelled_at    INTEGER NOT NULL,
      reason          TEXT    NOT NULL,
      receipt_url     TEXT    NOT NULL
    );
    CREATE INDEX IF NOT EXISTS portone_cancels_by_payment ON portone_cancels (imp_uid, seq);
    CREATE TABLE IF NOT EXISTS portone_tokens (
      access_token TEXT    PRIMARY KEY,
      issued_at    INTEGER NOT NULL,
      expired_at   INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS portone_calls (
      operation    TEXT    NOT NULL,
      merchant_uid TEXT    NOT NULL,
      count        INTEGER NOT NULL,
      PRIMARY KEY (operation, merchant_uid)
    );
    CREATE TABLE IF NOT EXISTS portone_webhooks (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      imp_uid         TEXT    NOT NULL,
      merchant_uid    TEXT    NOT NULL,
      status          TEXT    NOT NULL,
      cancellation_id TEXT,
      state           TEXT    NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      created_at      INTEGER NOT NULL,
      next_attempt_at INTEGER,
      delivered_at    INTEGER,
      last_result     TEXT,
      url             TEXT
    );
    -- IMP.request_pay's notice_url: this payment's webhooks go there instead of the console's URL.
    CREATE TABLE IF NOT EXISTS portone_notice_urls (
      imp_uid TEXT PRIMARY KEY,
      url     TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS portone_webhooks_due ON portone_webhooks (state, next_attempt_at);
  `);
}
