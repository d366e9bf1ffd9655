import type { Instant } from './time';

/**
 * An aggregate as a decider: `decide` turns a command into events (or throws a DomainError),
 * `evolve` folds one event into the state. Replaying a stream is `events.reduce(evolve, initialState)`.
 */
export interface Decider<Command, Event, State> {
  initialState: State;
  decide(command: Command, state: State, now: Instant): Event[];
  evolve(state: State, event: Event): State;
}

/** Every domain event is `{ type, data }`; `data` is plain JSON. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Exhaustiveness check for `switch` over a union. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
