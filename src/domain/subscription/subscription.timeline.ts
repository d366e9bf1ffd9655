import { addMonthsSeoul, DAY_MS, type Instant } from '../shared/time';
import type { PlanSnapshot, Run, RunPart } from './subscription.state';

/**
 * Calendar arithmetic over runs, shared by decide (to compute what to record) and evolve (to
 * apply it), so both always agree. Every end is derived from anchors, never stored, so a
 * removed purchase shifts the later segments of its run and any credit that depended on it.
 */

const monthsOf = (run: Run): number => run.parts.reduce((sum, part) => sum + part.months, 0);

/** S3: floor(unusedDays × oldPrice / newPrice), unusedDays fractional; BigInt keeps it exact. */
export function creditDaysFor(unusedMs: number, oldPrice: number, newPrice: number): number {
  if (unusedMs <= 0) return 0;
  const scaled = BigInt(Math.floor(unusedMs)) * BigInt(oldPrice);
  return Number(scaled / (BigInt(DAY_MS) * BigInt(newPrice)));
}

/** Days carried into run `i` from the run it superseded (that run's uncut end decides). */
export function creditDays(runs: readonly Run[], i: number): number {
  const run = runs[i];
  if (run.supersedes === null) return 0;
  const old = runs[run.supersedes];
  return creditDaysFor(naturalEnd(runs, run.supersedes) - run.anchor, old.price, run.price);
}

/** Where run `i` would end if nothing cut it: anchor + its months (clamped) + its credit. */
export function naturalEnd(runs: readonly Run[], i: number): Instant {
  const run = runs[i];
  return addMonthsSeoul(run.anchor, monthsOf(run)) + creditDays(runs, i) * DAY_MS;
}

/** Where run `i` really stops: its natural end, or earlier when an upgrade cut it. */
export function actualEnd(runs: readonly Run[], i: number): Instant {
  const cutAt = runs[i].cutAt;
  const end = naturalEnd(runs, i);
  return cutAt === null ? end : Math.min(cutAt, end);
}

export interface Segment {
  orderId: string;
  start: Instant;
  end: Instant;
}

/** Each part's slice of run `i`, clipped to where the run really stops (a cut slice may be empty). */
export function runSegments(runs: readonly Run[], i: number): Segment[] {
  const run = runs[i];
  const credit = creditDays(runs, i) * DAY_MS;
  const stop = actualEnd(runs, i);
  let months = 0;
  let start = run.anchor;
  return run.parts.map((part) => {
    months += part.months;
    const end = addMonthsSeoul(run.anchor, months) + credit;
    const segment = { orderId: part.orderId, start: Math.min(start, stop), end: Math.min(end, stop) };
    start = end;
    return segment;
  });
}

/** The last run plus every run it (transitively) superseded: all that still feeds the current period. */
export function currentChain(runs: readonly Run[]): number[] {
  const chain: number[] = [];
  for (let i: number | null = runs.length - 1; i !== null && i >= 0; i = runs[i].supersedes) chain.push(i);
  return chain;
}

const replaceLast = (runs: readonly Run[], run: Run): Run[] => [...runs.slice(0, -1), run];

export const startRun = (runs: readonly Run[], plan: PlanSnapshot, anchor: Instant, part: RunPart): Run[] => [
  ...runs,
  { ...plan, anchor, parts: [part], supersedes: null, cutAt: null },
];

export function extendLastRun(runs: readonly Run[], part: RunPart): Run[] {
  const last = runs[runs.length - 1];
  return replaceLast(runs, { ...last, parts: [...last.parts, part] });
}

/** S3: cut the current run at `at` and start the dearer plan there, crediting the unused time. */
export function upgradeLastRun(runs: readonly Run[], plan: PlanSnapshot, at: Instant, part: RunPart): Run[] {
  const cut = replaceLast(runs, { ...runs[runs.length - 1], cutAt: at });
  return [...cut, { ...plan, anchor: at, parts: [part], supersedes: runs.length - 1, cutAt: null }];
}

/**
 * A queued purchase starting at `start` continues the last run when that run is of the same
 * plan and ends exactly there (so S4 counts its months from the run's anchor); otherwise it
 * begins its own run anchored at `start`.
 */
export function continuesLastRun(runs: readonly Run[], planId: number, start: Instant): boolean {
  const i = runs.length - 1;
  return i >= 0 && runs[i].planId === planId && runs[i].cutAt === null && naturalEnd(runs, i) === start;
}

export function startQueued(runs: readonly Run[], plan: PlanSnapshot, part: RunPart, start: Instant): Run[] {
  return continuesLastRun(runs, plan.planId, start)
    ? extendLastRun(runs, part)
    : startRun(runs, plan, start, part);
}
