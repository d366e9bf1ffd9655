import { generateKeyPairSync } from 'node:crypto';
import { signedReport, type SignedAuditReport } from '../../../src/application/audit/audit-report';
import type { AuditReport } from '../../../src/application/audit/history-audit';
import { reportDigest, verifyReport } from '../../../src/application/audit/report-digest';
import { Ed25519SealSigner } from '../../../src/infrastructure/audit/ed25519-seal-signer';

const history = (): AuditReport => ({
  headPosition: 12,
  events: 12,
  streams: 3,
  seals: {
    count: 1,
    valid: 1,
    last: { sequence: 0, sealedAt: '2026-03-01T00:00:00.000Z', globalPosition: 11 },
  },
  unsealedEvents: 0,
  asOf: null,
  scope: null,
  totals: {
    at: '2026-03-01T00:00:00.000Z',
    orders: { placed: 1, paid: 1, expired: 0 },
    payments: {
      approved: 1,
      approvedAmount: 9_900,
      refundedAmount: 0,
      netAmount: 9_900,
      refundsPending: 0,
      refundsPendingAmount: 0,
    },
    eventFund: { total: 0, contributions: 0 },
    subscriptions: { active: 1, inactive: 0 },
  },
  findings: [],
  findingsByKind: {},
});

const signer = () => new Ed25519SealSigner(generateKeyPairSync('ed25519').privateKey);

function report(
  key: Ed25519SealSigner | null,
  run: { generatedAt: string; source: string; durationMs: number },
) {
  return signedReport({
    history: history(),
    readModels: { compared: false, reason: 'none in this test' },
    signer: key,
    run,
  });
}

/** Round-trips a report through JSON, as --verify reads it from a file. */
const asFile = (r: SignedAuditReport): Record<string, unknown> => JSON.parse(JSON.stringify(r, null, 2));

describe('the audit report digest and signature (issue #10 point 5)', () => {
  it('is the same for the same content whenever and wherever the audit ran', () => {
    const key = signer();
    const a = report(key, { generatedAt: '2026-03-01T00:00:00.000Z', source: '/a/events.db', durationMs: 5 });
    const b = report(key, {
      generatedAt: '2027-01-01T00:00:00.000Z',
      source: 'EventStoreDB',
      durationMs: 900,
    });
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    expect(b.signature).toBe(a.signature); // Ed25519 is deterministic: same digest, same signature
  });

  it('changes with any content: a count, a finding, the cut', () => {
    const base = reportDigest({ ...history(), format: 'x' });
    expect(reportDigest({ ...history(), format: 'x', events: 13 })).not.toBe(base);
    expect(reportDigest({ ...history(), format: 'x', headPosition: 11 })).not.toBe(base);
    const finding = { kind: 'hash-mismatch', streamId: 's', revision: 0, globalPosition: 1, detail: 'd' };
    expect(reportDigest({ ...history(), format: 'x', findings: [finding] })).not.toBe(base);
  });

  it('verifies a saved report with the public key alone', () => {
    const key = signer();
    const saved = asFile(
      report(key, { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 }),
    );
    expect(verifyReport(saved, key.publicKeyPem)).toEqual({ valid: true, problems: [] });
  });

  it('refuses a report whose content was altered, even with its digest left as it was', () => {
    const key = signer();
    const saved = asFile(
      report(key, { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 }),
    );
    const altered = { ...saved, events: 11 };
    const result = verifyReport(altered, key.publicKeyPem);
    expect(result.valid).toBe(false);
    expect(result.problems.join('\n')).toContain('altered');
  });

  it('refuses a report altered and re-digested without the key', () => {
    const key = signer();
    const saved = asFile(
      report(key, { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 }),
    );
    const altered: Record<string, unknown> = { ...saved, findings: [], unsealedEvents: 0, events: 99 };
    altered.digest = reportDigest(altered);
    expect(verifyReport(altered, key.publicKeyPem)).toMatchObject({
      valid: false,
      problems: ['the signature does not verify with the public key'],
    });
  });

  it('refuses a report signed by another key', () => {
    const ours = signer();
    const theirs = signer();
    const saved = asFile(
      report(theirs, { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 }),
    );
    const result = verifyReport(saved, ours.publicKeyPem);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.stringContaining('not by the given public key'),
      'the signature does not verify with the public key',
    ]);
  });

  it('refuses an unsigned report: nothing vouches for it', () => {
    const saved = asFile(
      report(null, { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 }),
    );
    expect(saved).toMatchObject({ signature: null, keyId: null });
    expect(verifyReport(saved, signer().publicKeyPem)).toEqual({
      valid: false,
      problems: ['the report is not signed'],
    });
  });

  it('leaves what depends on the run out of the digest, and counts read-model findings with the rest', () => {
    const finding = {
      kind: 'read-model-differs' as const,
      streamId: 'order-1',
      revision: 0,
      globalPosition: 1,
      collection: 'orders',
      documentId: '1',
      fields: ['status'],
      detail: 'd',
    };
    const made = signedReport({
      history: history(),
      readModels: { store: 'sqlite', groups: [], documents: 4, findings: [finding] },
      signer: null,
      run: { generatedAt: '2026-03-01T00:00:00.000Z', source: 's', durationMs: 1 },
    });
    expect(made.findings).toEqual([finding]);
    expect(made.findingsByKind).toEqual({ 'read-model-differs': 1 });
    expect(made.run.readModels).toEqual({ compared: true, store: 'sqlite', groups: [], documents: 4 });
    expect(reportDigest({ ...made, run: { other: true } })).toBe(made.digest);
  });
});
