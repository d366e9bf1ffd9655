import type { Instant } from '../shared/time';
import type { RemovalEffect } from './subscription.events';
import { lastIndex, runIndexOf, type Run, type Subscribed } from './subscription.state';
import { actualEnd, currentChain, runSegments } from './subscription.timeline';

/**
 * F4 as pure state arithmetic, shared by decide (to choose and describe the effect) and evolve
 * (to apply it). Call it on a state whose due transitions up to the removal (`at`) are recorded.
 */
export function classifyRemoval(state: Subscribed, orderId: string, at: Instant): RemovalEffect {
  if (state.queue.includes(orderId)) return 'DEQUEUED';
  if (state.status !== 'ACTIVE') return 'PAST';
  const i = runIndexOf(state.runs, orderId);
  if (!currentChain(state.runs).includes(i)) return 'PAST';
  const run = state.runs[i];
  const startedByUpgrade =
    i === lastIndex(state) && run.supersedes !== null && run.parts[0].orderId === orderId;
  if (startedByUpgrade) return 'UPGRADE_REVERSED';
  return hasElapsed(state.runs, i, orderId, at) ? 'PAST' : 'SHORTENED';
}

/**
 * An elapsed period is history (F4): the part's segment ended at or before `at`, and none of it
 * lay beyond an upgrade's cut (time there became the dearer plan's credit, which still counts).
 * Without this, dropping an elapsed month of an unbroken run would slide the later, paid months
 * back into the past, since every end is derived from the run's anchor.
 */
function hasElapsed(runs: readonly Run[], i: number, orderId: string, at: Instant): boolean {
  const uncut = runs.map((run, j) => (j === i ? { ...run, cutAt: null } : run));
  const segment = runSegments(uncut, i).find((s) => s.orderId === orderId);
  return segment !== undefined && segment.end <= Math.min(at, actualEnd(runs, i));
}

export function applyRemoval(
  state: Subscribed,
  orderId: string,
  effect: RemovalEffect,
  at: Instant,
): Subscribed {
  const purchase = state.purchases[orderId];
  const marked: Subscribed = {
    ...state,
    purchases: purchase ? { ...state.purchases, [orderId]: { ...purchase, removed: true } } : state.purchases,
    clock: Math.max(state.clock, at),
  };
  switch (effect) {
    case 'PAST':
      return marked; // it was served: the timeline (and its listing position) stays as it was
    case 'DEQUEUED':
      return { ...marked, queue: state.queue.filter((id) => id !== orderId) };
    case 'SHORTENED':
      return { ...marked, runs: withoutPart(state.runs, orderId) };
    case 'UPGRADE_REVERSED':
      return reverseUpgrade(marked, orderId);
  }
}

function withoutPart(runs: readonly Run[], orderId: string): Run[] {
  return runs.map((run) => ({ ...run, parts: run.parts.filter((part) => part.orderId !== orderId) }));
}

/**
 * The upgrade's run is dropped and the run it cut gets its original end back. Months bought on
 * top of the upgrade (same dearer plan) are not lost: they go to the front of the queue, as if
 * they had been bought while the old plan was running.
 */
function reverseUpgrade(state: Subscribed, orderId: string): Subscribed {
  const upgrade = state.runs[lastIndex(state)];
  const restored = upgrade.supersedes;
  if (restored === null) return { ...state, runs: withoutPart(state.runs, orderId) }; // not an upgrade run after all
  const runs = state.runs.slice(0, -1).map((run, i) => (i === restored ? { ...run, cutAt: null } : run));
  const leftovers = upgrade.parts.map((part) => part.orderId).filter((id) => id !== orderId);
  return { ...state, runs, queue: [...leftovers, ...state.queue] };
}
