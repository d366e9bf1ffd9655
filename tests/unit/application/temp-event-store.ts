import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-store';

/**
 * Real SQLite event stores on temp files for application tests; `cleanUp` closes them and
 * removes the files (call it in afterEach).
 */
export function tempEventStores() {
  const opened: Array<{ store: SqliteEventStore; dir: string }> = [];
  return {
    open(): SqliteEventStore {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-unit-'));
      const store = SqliteEventStore.open(path.join(dir, 'events.db'), { pollMs: 20 });
      opened.push({ store, dir });
      return store;
    },
    async cleanUp(): Promise<void> {
      for (const { store, dir } of opened.splice(0)) {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
