import type { Decider } from '../shared/decider';
import type { ParkedWorkCommand } from './parked-work.commands';
import { decideParkedWork } from './parked-work.decide';
import type { ParkedWorkEvent } from './parked-work.events';
import { evolveParkedWork, initialParkedWorkState } from './parked-work.evolve';
import type { ParkedWorkState } from './parked-work.state';

export type * from './parked-work.commands';
export type * from './parked-work.events';
export type { ParkedWorkState } from './parked-work.state';

export const parkedWorkDecider: Decider<ParkedWorkCommand, ParkedWorkEvent, ParkedWorkState> = {
  initialState: initialParkedWorkState,
  decide: decideParkedWork,
  evolve: evolveParkedWork,
};

export const processStreamId = (process: string): string => `process-${process}`;
