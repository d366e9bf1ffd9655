import type { EventContent, EventStore } from '../ports/event-store.port';
import type { Finding } from './audit-finding';
import {
  PgReconciliation,
  type PgReconciliationOptions,
  type ReconciliationReport,
} from './pg-reconciliation';
import { AuditRules, type RuleOptions } from './rules/audit-rules';
import type { AuditTotals } from './rules/audit-totals';
import { SEAL_STREAM } from './seal';
import { ChainAudit, inFoundOrder } from './chain-audit';
import type { SealSummary } from './chain-audit-report';
import { hashMismatch } from './stream-chains';

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
  seals: SealSummary;
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
  const headPosition = await store.headPosition();
  // A store that checks hashes faster (SQLite: worker threads over the stored bytes) does it
  // while this loop checks everything else.
  const mismatches = store.findHashMismatches?.(headPosition);
  mismatches?.catch(() => undefined);
  // A store that can (SQLite: on a worker thread) checks the chains and seals beside this loop,
  // which then reads only what the rules need; otherwise one loop does both.
  const split = store.auditChains !== undefined && store.readContent !== undefined;
  const beside = split ? store.auditChains!(headPosition, options.publicKeyPem) : null;
  beside?.catch(() => undefined);
  const inline = split
    ? null
    : new ChainAudit(
        (await store.readStream(SEAL_STREAM)).filter((e) => e.globalPosition <= headPosition),
        options.publicKeyPem,
        mismatches === undefined,
      );
  const pageSize = options.pageSize ?? 5_000;
  const read = async (from: number): Promise<EventContent[]> => {
    if (!inline) return store.readContent!(from, pageSize, SEAL_STREAM);
    const page = await store.readAll(from, pageSize);
    for (const event of page) if (event.globalPosition <= headPosition) inline.applyEvent(event);
    return page;
  };
  const ruleFindings: Finding[] = [];
  /** For each of the rules' findings, the position of the event that gave it. */
  const ruleFoundAt: number[] = [];
  const rules = new AuditRules(ruleFindings, options);
  const reconciliation = options.pg && new PgReconciliation(options.pg);
  let eventsRead = 0;
  for (let from = 0; from < headPosition;) {
    const page: EventContent[] = await read(from);
    if (page.length === 0) break;
    for (const event of page) {
      if (event.globalPosition > headPosition) break;
      eventsRead++;
      if (event.streamId === SEAL_STREAM) continue;
      rules.apply(event);
      reconciliation?.apply(event);
      while (ruleFoundAt.length < ruleFindings.length) ruleFoundAt.push(event.globalPosition);
    }
    from = page[page.length - 1].globalPosition;
    options.onProgress?.(eventsRead, headPosition, Math.min(from, headPosition));
    // In a running service (GET /v1/audit/report) the pass shares the event loop with requests,
    // and an embedded store's reads resolve without a turn of it: let them in per page.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const chain = inline ? inline.finish() : await beside!;
  const findings = inFoundOrder(chain, ruleFindings, ruleFoundAt);
  if (mismatches) for (const mismatch of await mismatches) findings.push(hashMismatch(mismatch));
  // After the hash check's workers are done: none is left reading the store.
  if (rules.scopeMatchesNothing) throw new AuditScopeMatchesNothingError(options);
  const reconciled = reconciliation && (await reconciliation.finish(findings));
  const totals = rules.finish();
  findings.push(...ruleFindings.slice(ruleFoundAt.length)); // what the rules found at the end
  const reported = findings.filter((finding) => rules.covers(finding));
  reported.sort((a, b) => (a.globalPosition ?? Infinity) - (b.globalPosition ?? Infinity));
  const findingsByKind: Record<string, number> = {};
  for (const finding of reported) findingsByKind[finding.kind] = (findingsByKind[finding.kind] ?? 0) + 1;
  return {
    headPosition,
    events: chain.events,
    streams: chain.streams,
    seals: chain.seals,
    unsealedEvents: chain.unsealedEvents,
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
