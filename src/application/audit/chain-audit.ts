import type { RecordedEvent } from '../ports/event-store.port';
import type { Finding } from './audit-finding';
import type { ChainAuditReport, SealSummary } from './chain-audit-report';
import { SEAL_STREAM } from './seal';
import { checkSealStream, SealCuts } from './seal-checks';
import { StreamChains } from './stream-chains';

/**
 * The audit's checks of the log's structure (A2), apart from the business rules: every stream's
 * hash chain (StreamChains) and every valid seal at its cut (SealCuts), event by event in global
 * order. It needs no event's data, so it can run beside the rules, reading only each event's
 * place and hashes (EventStore.auditChains), or inside the single pass (`applyEvent`).
 */
export class ChainAudit {
  private readonly findings: Finding[] = [];
  private readonly foundAt: number[] = [];
  private readonly chains: StreamChains;
  private readonly cuts: SealCuts;
  private readonly lastCut: number;
  private readonly seals: SealSummary;
  private events = 0;
  private unsealedEvents = 0;

  /**
   * `sealEvents`: the seal stream up to the cut, each seal trusted with `publicKeyPem`
   * (checkSealStream). `checkHashes` false: the store checks them (EventStore.findHashMismatches).
   */
  constructor(sealEvents: readonly RecordedEvent[], publicKeyPem: string, checkHashes: boolean) {
    const seals = checkSealStream(sealEvents, publicKeyPem, this.findings);
    this.mark(Number.NEGATIVE_INFINITY);
    this.chains = new StreamChains(this.findings, checkHashes);
    this.cuts = new SealCuts(seals, this.chains, this.findings);
    const last = seals.length > 0 ? seals[seals.length - 1].seal : null;
    this.lastCut = last?.globalPosition ?? 0;
    this.seals = {
      count: sealEvents.length,
      valid: seals.length,
      last: last && { sequence: last.sequence, sealedAt: last.sealedAt, globalPosition: last.globalPosition },
    };
  }

  /** The next event in global order, by its place and hashes alone. */
  apply(streamId: string, revision: number, globalPosition: number, prevHash: string, hash: string): void {
    this.cuts.before(globalPosition);
    this.chains.link(streamId, revision, globalPosition, prevHash, hash);
    this.changed(streamId, revision, globalPosition);
  }

  /** The next event in global order, whole (its hash recomputed when the store does not check it). */
  applyEvent(event: RecordedEvent): void {
    this.cuts.before(event.globalPosition);
    this.chains.apply(event);
    this.changed(event.streamId, event.revision, event.globalPosition);
  }

  finish(): ChainAuditReport {
    this.cuts.finish();
    this.mark(Number.POSITIVE_INFINITY);
    return {
      seals: this.seals,
      findings: this.findings,
      foundAt: this.foundAt,
      events: this.events,
      streams: this.chains.streams.size,
      unsealedEvents: this.unsealedEvents,
    };
  }

  private changed(streamId: string, revision: number, globalPosition: number): void {
    this.events++;
    if (streamId !== SEAL_STREAM) {
      this.cuts.changedBy(streamId, revision, globalPosition);
      if (globalPosition > this.lastCut) this.unsealedEvents++;
    }
    this.mark(globalPosition);
  }

  private mark(globalPosition: number): void {
    while (this.foundAt.length < this.findings.length) this.foundAt.push(globalPosition);
  }
}

/**
 * The findings of one pass in the order they were found: the chain audit's and the rules' (each
 * with the position being read when found), the chain audit's first at the same position, as
 * when one loop ran both, event by event.
 */
export function inFoundOrder(
  chain: Pick<ChainAuditReport, 'findings' | 'foundAt'>,
  rules: readonly Finding[],
  rulesAt: readonly number[],
): Finding[] {
  const merged: Finding[] = [];
  let r = 0;
  for (let c = 0; c < chain.findings.length; c++) {
    while (r < rules.length && rulesAt[r] < chain.foundAt[c]) merged.push(rules[r++]);
    merged.push(chain.findings[c]);
  }
  while (r < rules.length) merged.push(rules[r++]);
  return merged;
}
