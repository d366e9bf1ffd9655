import type { Database } from 'better-sqlite3';

/** The sandbox's tables in the shared sandbox DB; all prefixed `toss_`, created when missing. */
export function createTossTables(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS toss_payments (
      payment_key TEXT PRIMARY KEY,
      order_id TEXT NOT NULL,
      status TEXT NOT NULL,
      requested_at INTEGER NOT NULL,
      data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS toss_payments_order ON toss_payments (order_id);
    CREATE INDEX IF NOT EXISTS toss_payments_status ON toss_payments (status, requested_at);

    CREATE TABLE IF NOT EXISTS toss_idempotency (
      scope TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      status INTEGER,
      body TEXT,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE IF NOT EXISTS toss_calls (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      operation TEXT NOT NULL,
      order_id TEXT,
      at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS toss_calls_order ON toss_calls (order_id, operation);

    CREATE TABLE IF NOT EXISTS toss_webhooks (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      event_type TEXT NOT NULL,
      payment_key TEXT NOT NULL,
      order_id TEXT NOT NULL,
      payment_status TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      first_sent_at INTEGER,
      next_due_at INTEGER NOT NULL,
      last_result TEXT
    );
    CREATE INDEX IF NOT EXISTS toss_webhooks_due ON toss_webhooks (status, next_due_at);
  `);
}
