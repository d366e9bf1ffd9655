import type { Finding } from './audit-finding';

/** The seal stream at the cut: how many seals, how many signed by the key, and the last of those. */
export interface SealSummary {
  count: number;
  /** Seals signed by the key: the ones that vouch for the history. */
  valid: number;
  last: { sequence: number; sealedAt: string; globalPosition: number } | null;
}

/** What the chain and seal checks found over the log (see `ChainAudit`). */
export interface ChainAuditReport {
  seals: SealSummary;
  findings: Finding[];
  /**
   * For each finding, the global position of the event being read when it was found
   * (-Infinity: the seal stream's own, before any; Infinity: after the last one): where it goes among the rules' findings of the same pass.
   */
  foundAt: number[];
  /** Every event read, the seals' included. */
  events: number;
  streams: number;
  /** Events of other streams than the seals' after the last valid seal's cut. */
  unsealedEvents: number;
}
