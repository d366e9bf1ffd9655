import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';

/**
 * One business rule asserted over the events themselves (A1), never by re-running a decider:
 * it reads event data as recorded, so a decider bug that let a bad event through is caught.
 * `apply` sees every event at or before the audit's cut, in global order; `finish` reports what
 * only the whole history can show (a period still standing on a refunded payment, parked work).
 */
export interface AuditRule {
  apply(event: EventContent): void;
  finish?(): void;
}

export type FindingPlace = Pick<Finding, 'streamId' | 'revision' | 'globalPosition'>;

export const placeOf = (event: EventContent): FindingPlace => ({
  streamId: event.streamId,
  revision: event.revision,
  globalPosition: event.globalPosition,
});

/** The id after a stream's kind: `payment-<orderId>` → orderId, `subscription-<userId>` → userId. */
export const idOf = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);

export const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

/** An ISO-8601 instant as epoch ms; NaN for anything else, so no comparison with it holds. */
export const instant = (value: unknown): number =>
  typeof value === 'string' ? Date.parse(value) : Number.NaN;

export function ruleViolated(findings: Finding[], at: FindingPlace, rule: string, detail: string): void {
  findings.push({ ...at, kind: 'rule-violated', rule, detail });
}

/** For a finding's text: an instant as ISO-8601, or what is wrong with it. */
export const isoOf = (ms: number): string =>
  Number.isFinite(ms) ? new Date(ms).toISOString() : 'no valid time';
