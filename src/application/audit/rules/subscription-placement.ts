import { addMonthsSeoul } from '../../../domain/shared/time';
import { instant, isoOf, num } from './audit-rule';
import type { EventContent } from '../../ports/event-store.port';
import { currentEnd, startQueued, type Ledger } from './subscription-ledger';
import { DAY_MS, continuesLast, endOf, scaledCreditDays } from './subscription-runs';

interface Placement {
  effect: string;
  anchor: number;
  start: number;
  end: number;
  credit: number;
}

/**
 * S1–S4 for one SubscriptionPurchaseApplied taking effect at `t`: the effect it should have had
 * and the period it should have bought, compared with what it records. Returns what is wrong,
 * or null. S1: nothing active, a period from `t`. S2: the same plan while active, the months
 * added to the run (counted from its anchor, S4). S3: a dearer plan starts at `t` with the old
 * plan's unused days scaled by price; a cheaper or equal one is queued.
 */
export function placementProblem(ledger: Ledger, data: Record<string, unknown>, t: number): string | null {
  const [planId, price, months] = [num(data.planId), num(data.price), num(data.months)];
  const runs = ledger.runs;
  const last = runs.length - 1;
  const end = currentEnd(ledger);
  const active = ledger.status === 'ACTIVE';
  if (active && end <= t)
    return `the period ending ${isoOf(end)} was not closed before this purchase at ${isoOf(t)}`;
  let expected: Placement;
  if (active ? runs[last].planId === planId : continuesLast(runs, planId, t)) {
    const [anchor, start, until] = [runs[last].anchor, endOf(runs, last), endOf(runs, last, months)];
    expected = { effect: 'EXTENDED', anchor, start, end: until, credit: 0 };
  } else if (!active) {
    expected = { effect: 'STARTED', anchor: t, start: t, end: addMonthsSeoul(t, months), credit: 0 };
  } else if (price > runs[last].price) {
    const credit = scaledCreditDays(end - t, runs[last].price, price);
    expected = {
      effect: 'UPGRADED',
      anchor: t,
      start: t,
      end: addMonthsSeoul(t, months) + credit * DAY_MS,
      credit,
    };
  } else if (data.effect !== 'QUEUED') {
    return `a cheaper or equal plan bought while active is queued (S3), not ${String(data.effect)}`;
  } else {
    return instant(data.periodStart) < end
      ? `queued to start at ${String(data.periodStart)}, before the current period ends at ${isoOf(end)}`
      : null; // where it will start is checked when it starts
  }
  const recorded: Record<keyof Placement, unknown> = {
    effect: data.effect,
    anchor: instant(data.anchor),
    start: instant(data.periodStart),
    end: instant(data.periodEnd),
    credit: num(data.creditDays),
  };
  if ((Object.keys(expected) as Array<keyof Placement>).every((k) => recorded[k] === expected[k]))
    return null;
  return (
    `expected ${expected.effect} from ${isoOf(expected.start)} to ${isoOf(expected.end)} (anchor ${isoOf(expected.anchor)}, ${expected.credit} credit days); ` +
    `recorded ${String(data.effect)} from ${String(data.periodStart)} to ${String(data.periodEnd)} (anchor ${String(data.anchor)}, ${String(data.creditDays)} credit days)`
  );
}

/**
 * A queued purchase takes over exactly when the period before it ends (or at the removal that
 * left nothing covering), never before it is recorded, and runs as S4 says: on from the last
 * run's anchor when it continues the same plan unbroken, else from its own start.
 */
export function queuedStartProblem(ledger: Ledger, event: EventContent, gapAt: number | null): string | null {
  const d = event.data;
  const start = instant(d.start);
  const next = ledger.queue[0];
  const due = gapAt ?? currentEnd(ledger);
  if (!next || next.orderId !== String(d.orderId) || ledger.status !== 'ACTIVE')
    return `order ${String(d.orderId)} starts, but it is not first in the queue of an active subscription`;
  if (start !== due || instant(event.metadata.recordedAt) < start)
    return `the queued period starts at ${isoOf(start)}, not when the one before it ended (${isoOf(due)})`;
  const trial = ledger.runs.map((run) => ({ ...run, parts: [...run.parts] }));
  startQueued({ ...ledger, runs: trial }, next, start);
  const i = trial.length - 1;
  const [anchor, end] = [trial[i].anchor, endOf(trial, i)];
  if (instant(d.anchor) === anchor && instant(d.end) === end) return null;
  return `the queued period should run ${isoOf(start)}–${isoOf(end)} from anchor ${isoOf(anchor)}; recorded ${String(d.start)}–${String(d.end)} from ${String(d.anchor)}`;
}
