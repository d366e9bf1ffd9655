import { assertNever } from '../shared/decider';
import { toIso, type Instant } from '../shared/time';
import type { ParkedWorkCommand } from './parked-work.commands';
import type { ParkedWorkEvent } from './parked-work.events';
import type { ParkedWorkState } from './parked-work.state';

export function decideParkedWork(
  command: ParkedWorkCommand,
  state: ParkedWorkState,
  now: Instant,
): ParkedWorkEvent[] {
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
}
