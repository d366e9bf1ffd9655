import type { Decider, DomainEvent } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { toIso } from '../shared/time';

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

export type ParkWork = {
  type: 'ParkWork';
  process: string;
  itemId: string;
  reason: string;
  attempts: number;
};
export type RetryParkedWork = { type: 'RetryParkedWork'; process: string; itemId: string };
export type ParkedWorkCommand = ParkWork | RetryParkedWork;

/** The items parked now, by id. */
export type ParkedWorkState = { parked: Readonly<Record<string, true>> };

export const parkedWorkDecider: Decider<ParkedWorkCommand, ParkedWorkEvent, ParkedWorkState> = {
  initialState: { parked: {} },
  decide(command, state, now) {
    switch (command.type) {
      case 'ParkWork': {
        if (state.parked[command.itemId]) return [];
        const { type: _type, ...data } = command;
        return [{ type: 'WorkParked', data: { ...data, at: toIso(now) } }];
      }
      case 'RetryParkedWork':
        if (!state.parked[command.itemId]) return [];
        return [
          {
            type: 'ParkedWorkRetried',
            data: { process: command.process, itemId: command.itemId, at: toIso(now) },
          },
        ];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'WorkParked':
        return { parked: { ...state.parked, [event.data.itemId]: true } };
      case 'ParkedWorkRetried': {
        const { [event.data.itemId]: _gone, ...rest } = state.parked;
        return { parked: rest };
      }
      default:
        return assertNever(event);
    }
  },
};

export const processStreamId = (process: string): string => `process-${process}`;
