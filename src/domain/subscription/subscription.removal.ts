import type { Instant } from '../shared/time';
import type { RemovalEffect } from './subscription.events';
import { lastIndex, runIndexOf, type Run, type Subscribed } from './subscription.state';
import { currentChain } from './subscription.timeline';

/**
 * F4 as pure state arithmetic, shared by decide (to choose and describe the effect) and evolve
 * (to apply it). Call it on a state whose due transitions up to the removal are recorded.
 */
export function classifyRemoval(state: Subscribed, orderId: string): RemovalEffect {
  if (state.queue.includes(orderId)) return 'DEQUEUED';
  if (state.status !== 'ACTIVE') return 'PAST';
  const i = runIndexOf(state.runs, orderId);
  if (!currentChain(state.runs).includes(i)) return 'PAST';
  const run = state.runs[i];
  const startedByUpgrade =
    i === lastIndex(state) && run.supersedes !== null && run.parts[0].orderId === orderId;
  return startedByUpgrade ? 'UPGRADE_REVERSED' : 'SHORTENED';
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
