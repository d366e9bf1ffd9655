import type { DomainEvent } from '../shared/decider';

/**
 * P2: a process parks an item it failed to finish after a bounded number of attempts. Parking
 * is a fact (visible to operators and the auditor), kept on the process's own stream; an
 * operator's retry un-parks it. An item the process finishes by other means leaves its pending
 * work, parked or not.
 */
export type WorkParked = DomainEvent<
  'WorkParked',
  { process: string; itemId: string; reason: string; attempts: number; at: string }
>;
export type ParkedWorkRetried = DomainEvent<
  'ParkedWorkRetried',
  { process: string; itemId: string; at: string }
>;
export type ParkedWorkEvent = WorkParked | ParkedWorkRetried;
