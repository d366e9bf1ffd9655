import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PLAN, freshDataDir, removeDataDir, startApi, type Api } from './support/harness';

const CLI = path.resolve(__dirname, '../../dist/src/interfaces/cli/projections-rebuild.js');

/** `npm run projections:rebuild` as an operator runs it: the compiled CLI in its own process. */
function runRebuild(
  dataDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DATA_DIR: dataDir, EVENTSTORE_URL: '', MONGODB_URL: '', READ_MODELS: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function readModelTables(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'read-models.db'), { readonly: true });
  try {
    return db
      .prepare<[], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\'",
      )
      .pluck()
      .all()
      .sort();
  } finally {
    db.close();
  }
}

async function reads(api: Api, token: string) {
  return {
    history: (await api.get(token, '/v1/users/me/payments')).body,
    subscription: (await api.get(token, '/v1/users/me/subscription')).body,
  };
}

describe('npm run projections:rebuild (issue #11 point 3)', () => {
  const dataDir = freshDataDir();
  let api: Api | null = null;
  afterEach(async () => {
    await api?.close({ keepData: true });
    api = null;
  });
  afterAll(() => removeDataDir(dataDir));

  it('asks the running service, which rebuilds beside the live read models and keeps answering', async () => {
    api = await startApi(dataDir);
    const token = await api.token('rebuilt-user');
    await api.purchase(token, PLAN.PREMIUM);
    await api.purchase(token, PLAN.EVENT, 7_000);
    const before = await reads(api, token);

    const running = runRebuild(dataDir, ['orders']);
    // The service answers throughout, with what it answered before.
    let settled = false;
    void running.then(() => (settled = true));
    let answered = 0;
    while (!settled) {
      expect(await reads(api, token)).toEqual(before);
      answered += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { code, stdout } = await running;
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'rebuilt orders (by the running service)\n' });
    expect(answered).toBeGreaterThan(0);

    expect(await reads(api, token)).toEqual(before);
    expect(api.service.app.projector.rebuilds).toEqual([]);
    expect(readModelTables(dataDir)).toContain('rm_orders_b1');
    expect(readModelTables(dataDir)).not.toContain('rm_orders');
  });

  it('does the rebuild itself when the service is stopped, and the next start serves the new build', async () => {
    const { code, stdout } = await runRebuild(dataDir, ['subscriptions']);
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: 'rebuilt subscriptions (with the service stopped)\n',
    });
    expect(readModelTables(dataDir)).toEqual(expect.arrayContaining(['rm_subscriptions_b1', 'rm_orders_b1']));
    expect(readModelTables(dataDir)).not.toContain('rm_subscriptions');

    api = await startApi(dataDir);
    expect(Object.values(api.service.app.projector.appliedEvents).every((n) => n === 0)).toBe(true);
    const token = await api.token('rebuilt-user');
    const after = await reads(api, token);
    expect(after.subscription).toMatchObject({ userId: 'rebuilt-user', status: 'ACTIVE' });
    expect((after.history as { items: unknown[] }).items).toHaveLength(2);
  });

  it('refuses a name that is no projection, and changes nothing', async () => {
    const tables = readModelTables(dataDir);
    const { code, stderr } = await runRebuild(dataDir, ['no-such-projection']);
    expect(code).toBe(2);
    expect(stderr).toContain('no projection or projection group named no-such-projection');
    expect(readModelTables(dataDir)).toEqual(tables);
  });
});
