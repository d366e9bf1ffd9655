import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import { placeOf, type AuditRule, type FindingPlace } from './audit-rule';

interface Parked {
  at: FindingPlace;
  process: string;
  itemId: string;
  reason: string;
  attempts: unknown;
}

/**
 * P2: work a process parked (WorkParked on its `process-<name>` stream) is visible to the
 * auditor until an operator retries it (ParkedWorkRetried): each parked episode still open at
 * the cut is a `work-parked` finding at the event that parked it. The events alone cannot show
 * an item the process later finished by other means, so an operator resolves parked work by
 * retrying it, which the history records.
 */
export class ParkedWorkRule implements AuditRule {
  private readonly parked = new Map<string, Parked>();

  constructor(private readonly findings: Finding[]) {}

  apply(event: EventContent): void {
    if (!event.streamId.startsWith('process-')) return;
    const key = `${event.streamId}\n${String(event.data.itemId)}`;
    if (event.type === 'WorkParked' && !this.parked.has(key)) {
      this.parked.set(key, {
        at: placeOf(event),
        process: String(event.data.process),
        itemId: String(event.data.itemId),
        reason: String(event.data.reason),
        attempts: event.data.attempts,
      });
    } else if (event.type === 'ParkedWorkRetried') this.parked.delete(key);
  }

  finish(): void {
    for (const item of this.parked.values()) {
      this.findings.push({
        ...item.at,
        kind: 'work-parked',
        detail: `${item.process} parked ${item.itemId} after ${String(item.attempts)} attempts (${item.reason}), not retried since`,
      });
    }
  }
}
