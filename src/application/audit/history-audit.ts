import type { EventStore } from '../ports/event-store.port';
import type { Finding } from './audit-finding';
import {
  PgReconciliation,
  type PgReconciliationOptions,
  type ReconciliationReport,
} from './pg-reconciliation';
import { AuditRules, type RuleOptions } from './rules/audit-rules';
import type { AuditTotals } from './rules/audit-totals';
import { SEAL_STREAM } from './seal';
import { checkSealStream, SealCuts } from './seal-checks';
import { hashMismatch, StreamChains } from './stream-chains';

export interface AuditOptions extends RuleOptions {
  /** The seal key's public half (PEM): all the audit needs to trust the seals. */
  publicKeyPem: string;
  /** Events per page read through the port (default 5,000). */
  pageSize?: number;
  /** Also reconcile with the PGs' own transaction lists over a window (`--pg`). */
  pg?: PgReconciliationOptions;
  /** After each page: events read so far, the cut, and the global position reached (a progress bar). */
  onProgress?: (eventsRead: number, headPosition: number, position: number) => void;
}

export interface AuditReport {
  /** The cut audited: the store's head when the audit started. */
  headPosition: number;
  events: number;
  streams: number;
  seals: {
    count: number;
    /** Seals signed by the key: the ones that vouch for the history. */
    valid: number;
    last: { sequence: number; sealedAt: string; globalPosition: number } | null;
  };
  /** Events after the last valid seal's cut: only their hash chains vouch for them. */
  unsealedEvents: number;
  /** The rules' and totals' cut (`--as-of`); the chains and seals are checked over the whole store. */
  asOf: string | null;
  /** `--user` / `--order`: findings and totals narrowed to those streams. */
  scope: { userId?: string; orderId?: string } | null;
  totals: AuditTotals;
  findings: Finding[];
  findingsByKind: Record<string, number>;
  /** With `pg`: what the reconciliation compared and matched (its findings are in `findings`). */
  reconciliation?: ReconciliationReport;
}

/**
 * `--user` / `--order` with an id the history never mentions: a clean report about nothing would
 * read as "audited, all well" (a mistyped id), so the audit refuses instead.
 */
export class AuditScopeMatchesNothingError extends Error {
  readonly code = 'AUDIT_SCOPE_MATCHES_NOTHING';
  constructor(scope: { userId?: string; orderId?: string }) {
    super(
      scope.orderId !== undefined
        ? `no streams for order ${scope.orderId}`
        : `no streams for user ${scope.userId}`,
    );
    this.name = 'AuditScopeMatchesNothingError';
  }
}

/**
 * A1/A2 over the whole event store, through the port alone: every stream's hash chain, every
 * seal (with the public key only) checked at its cut, and the business rules over the events.
 * The audit reads up to the head it saw at the start, so a service still writing does not move
 * the cut.
 */
export async function auditHistory(store: EventStore, options: AuditOptions): Promise<AuditReport> {
  const findings: Finding[] = [];
  const headPosition = await store.headPosition();
  const sealEvents = (await store.readStream(SEAL_STREAM)).filter((e) => e.globalPosition <= headPosition);
  const seals = checkSealStream(sealEvents, options.publicKeyPem, findings);
  // A store that checks hashes faster (SQLite: worker threads over the stored bytes) does it
  // while this loop checks everything else.
  const mismatches = store.findHashMismatches?.(headPosition);
  mismatches?.catch(() => undefined);
  const chains = new StreamChains(findings, mismatches === undefined);
  const cuts = new SealCuts(seals, chains, findings);
  const rules = new AuditRules(findings, options);
  const reconciliation = options.pg && new PgReconciliation(options.pg);
  const lastSeal = seals.length > 0 ? seals[seals.length - 1].seal : null;
  const lastCut = lastSeal?.globalPosition ?? 0;
  const pageSize = options.pageSize ?? 5_000;
  let events = 0;
  let unsealedEvents = 0;
  for (let from = 0; from < headPosition;) {
    const page = await store.readAll(from, pageSize);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.globalPosition > headPosition) break;
      cuts.before(event.globalPosition);
      chains.apply(event);
      events++;
      if (event.streamId === SEAL_STREAM) continue;
      cuts.changedBy(event);
      rules.apply(event);
      reconciliation?.apply(event);
      if (event.globalPosition > lastCut) unsealedEvents++;
    }
    from = page[page.length - 1].globalPosition;
    options.onProgress?.(events, headPosition, Math.min(from, headPosition));
    // In a running service (GET /v1/audit/report) the pass shares the event loop with requests,
    // and an embedded store's reads resolve without a turn of it: let them in per page.
    await new Promise((resolve) => setImmediate(resolve));
  }
  cuts.finish();
  if (mismatches) for (const mismatch of await mismatches) findings.push(hashMismatch(mismatch));
  // After the hash check's workers are done: none is left reading the store.
  if (rules.scopeMatchesNothing) throw new AuditScopeMatchesNothingError(options);
  const reconciled = reconciliation && (await reconciliation.finish(findings));
  const totals = rules.finish();
  const reported = findings.filter((finding) => rules.covers(finding));
  reported.sort((a, b) => (a.globalPosition ?? Infinity) - (b.globalPosition ?? Infinity));
  const findingsByKind: Record<string, number> = {};
  for (const finding of reported) findingsByKind[finding.kind] = (findingsByKind[finding.kind] ?? 0) + 1;
  return {
    headPosition,
    events,
    streams: chains.streams.size,
    seals: {
      count: sealEvents.length,
      valid: seals.length,
      last: lastSeal && {
        sequence: lastSeal.sequence,
        sealedAt: lastSeal.sealedAt,
        globalPosition: lastSeal.globalPosition,
      },
    },
    unsealedEvents,
    asOf: options.asOf ?? null,
    scope:
      options.userId !== undefined || options.orderId !== undefined
        ? { userId: options.userId, orderId: options.orderId }
        : null,
    totals,
    findings: reported,
    findingsByKind,
    ...(reconciled && { reconciliation: reconciled }),
  };
}
