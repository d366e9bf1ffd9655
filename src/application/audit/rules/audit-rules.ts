import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import { RuleChecks } from '../rule-checks';
import type { AuditRule } from './audit-rule';
import { AuditScope, type ScopeFilter } from './audit-scope';
import { totalsOf, type AuditTotals } from './audit-totals';
import { EventFundRule } from './event-fund.rule';
import { HistoryFacts } from './history-facts';
import { ParkedWorkRule } from './parked-work.rule';
import { RefundWindowRule } from './refund-window.rule';
import { SubscriptionPeriodsRule } from './subscription-periods.rule';

export interface RuleOptions extends ScopeFilter {
  /** ISO-8601: the rules and totals see only events recorded at or before it. */
  asOf?: string;
}

/**
 * Every business rule of the audit, over the events recorded up to the cut (`asOf`), with the
 * totals at that instant, narrowed to a user's or an order's streams when asked. The rules
 * always read the whole history up to the cut (a PG payment backing another user's order is
 * still found); the scope only chooses which findings and totals are reported.
 */
export class AuditRules {
  private readonly facts = new HistoryFacts();
  private readonly subscriptions: SubscriptionPeriodsRule;
  private readonly rules: AuditRule[];
  private readonly scope: AuditScope;
  private readonly asOf: number;
  private latest: number | null = null;

  constructor(findings: Finding[], options: RuleOptions = {}) {
    this.asOf = options.asOf === undefined ? Number.POSITIVE_INFINITY : Date.parse(options.asOf);
    if (Number.isNaN(this.asOf)) throw new Error(`--as-of ${options.asOf}: not an ISO-8601 time`);
    this.scope = new AuditScope(options);
    this.subscriptions = new SubscriptionPeriodsRule(this.facts, findings);
    this.rules = [
      new RuleChecks(findings),
      new RefundWindowRule(this.facts, findings),
      this.subscriptions,
      new EventFundRule(this.facts, findings),
      new ParkedWorkRule(findings),
    ];
  }

  /** Every event but the seals', in global order (the scope learns whose streams are whose). */
  apply(event: EventContent): void {
    this.scope.admits(event);
    const recordedAt = Date.parse(event.metadata.recordedAt);
    if (recordedAt > this.asOf) return;
    if (recordedAt > (this.latest ?? Number.NEGATIVE_INFINITY)) this.latest = recordedAt;
    this.facts.apply(event);
    for (const rule of this.rules) rule.apply(event);
  }

  finish(): AuditTotals {
    for (const rule of this.rules) rule.finish?.();
    const at = Number.isFinite(this.asOf) ? this.asOf : this.latest;
    return totalsOf(this.facts, this.subscriptions.ledgers, this.scope, at);
  }

  /** `--user` / `--order` named a user or an order with no streams in the history. */
  get scopeMatchesNothing(): boolean {
    return this.scope.matchesNothing;
  }

  /** Whether a finding concerns the scope's streams (always, when the audit is not narrowed). */
  covers(finding: Finding): boolean {
    return this.scope.covers(finding);
  }
}
