import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLAN, freshDataDir, removeDataDir, startApi } from './support/harness';

const CLI = path.resolve(__dirname, '../../dist/src/interfaces/cli/audit.js');

/** `npm run audit` as an operator runs it: the compiled CLI in its own process. */
function runAudit(
  dataDir: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DATA_DIR: dataDir, EVENTSTORE_URL: '', AUDIT_PUBLIC_KEY_FILE: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('the auditor over the real service (issue #10)', () => {
  const dirs: string[] = [];
  const dir = () => {
    const made = freshDataDir();
    dirs.push(made);
    return made;
  };
  afterAll(() => dirs.forEach(removeDataDir));

  it('serves the sandbox seal key publicly, the one written into DATA_DIR', async () => {
    const dataDir = dir();
    const api = await startApi(dataDir);
    try {
      const res = await api.http().get('/v1/audit/public-key');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        algorithm: 'Ed25519',
        keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(res.body.publicKeyPem).toBe(readFileSync(path.join(dataDir, 'audit-public-key.pem'), 'utf8'));
    } finally {
      await api.close({ keepData: true });
    }
  });

  it('signs with AUDIT_SIGNING_KEY_FILE when one is given', async () => {
    const dataDir = dir();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyFile = path.join(dataDir, 'operator-key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const api = await startApi(dataDir, { AUDIT_SIGNING_KEY_FILE: keyFile });
    try {
      const res = await api.http().get('/v1/audit/public-key');
      expect(res.body.publicKeyPem).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    } finally {
      await api.close({ keepData: true });
    }
  });

  it('npm run audit: 0 on a clean sealed history, 1 with the finding once the file is edited, 2 without a store', async () => {
    const dataDir = dir();
    const api = await startApi(dataDir);
    const token = await api.token('audited-user');
    const { order } = await api.purchase(token, PLAN.BASIC);
    await api.close({ keepData: true }); // the shutdown seal

    const jsonFile = path.join(dataDir, 'report.json');
    const clean = await runAudit(dataDir, ['--json', jsonFile]);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Clean');
    expect(JSON.parse(readFileSync(jsonFile, 'utf8'))).toMatchObject({ findings: [], unsealedEvents: 0 });

    const db = new Database(path.join(dataDir, 'events.db'));
    const placed = db
      .prepare(
        `SELECT global_position FROM events WHERE stream = (SELECT id FROM streams WHERE name = ?) AND revision = 0`,
      )
      .pluck()
      .get(`order-${order.orderId}`) as number;
    // The amount's digits as stored (keys are coded, values are as JSON writes them).
    db.prepare(`UPDATE events SET data = replace(data, '9900', '100') WHERE global_position = ?`).run(placed);
    db.close();
    const tampered = await runAudit(dataDir, ['--json', jsonFile]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`order-${order.orderId}`);
    expect(JSON.parse(readFileSync(jsonFile, 'utf8')).findings).toContainEqual(
      expect.objectContaining({
        kind: 'hash-mismatch',
        streamId: `order-${order.orderId}`,
        revision: 0,
        globalPosition: placed,
      }),
    );

    const nowhere = await runAudit(path.join(dataDir, 'missing'));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no event store');
  });
});
