import { fold, type Decider } from '../../../src/domain/shared/decider';
import { DomainError, type ErrorCode } from '../../../src/domain/shared/domain-error';
import type { Instant } from '../../../src/domain/shared/time';

/**
 * given(events).when(command, now).then(events | rejection) for any decider. The given
 * events are folded with the decider's own `evolve`, exactly as a replay would.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  const stateOf = (events: readonly Event[]): State => fold(decider, events);

  function given(events: readonly Event[]) {
    return {
      when(command: Command, now: Instant) {
        const decided = (): Event[] => decider.decide(command, stateOf(events), now);
        return {
          then(expected: Event[]): void {
            expect(decided()).toEqual(expected);
          },
          /** Refused with this code (and, when given, these details); nothing is recorded. */
          thenRejects(code: ErrorCode, details?: Record<string, unknown>): void {
            const error = caught(decided);
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe(code);
            if (details) expect((error as DomainError).details).toMatchObject(details);
          },
          /** The decided events (for assertions on one field). */
          events(): Event[] {
            return decided();
          },
          /** The given events followed by the decided ones: the next test's history. */
          history(): Event[] {
            return [...events, ...decided()];
          },
          /** The state after the decided events are folded onto the given ones. */
          state(): State {
            return stateOf([...events, ...decided()]);
          },
        };
      },
    };
  }

  /** The events a sequence of commands records, each decided on what the previous ones left. */
  function history(...steps: Array<[Command, Instant]>): Event[] {
    return steps.reduce<Event[]>(
      (events, [command, now]) => [...events, ...decider.decide(command, stateOf(events), now)],
      [],
    );
  }

  return { given, history, stateOf };
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
}
