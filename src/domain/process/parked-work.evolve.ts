import { assertNever } from '../shared/decider';
import type { ParkedWorkEvent } from './parked-work.events';
import type { ParkedWorkState } from './parked-work.state';

export const initialParkedWorkState: ParkedWorkState = { parked: {} };

export function evolveParkedWork(state: ParkedWorkState, event: ParkedWorkEvent): ParkedWorkState {
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
}
