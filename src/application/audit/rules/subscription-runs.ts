import { addMonthsSeoul } from '../../../domain/shared/time';

/**
 * The auditor's own reading of S1–S4: runs of one plan whose months count from the run's
 * anchor (S4), an upgrade's run carrying the old plan's unused days scaled by old price / new
 * price (S3). Written from the rules, not taken from the Subscription decider, so the recorded
 * periods are checked against an independent computation. Only the calendar (months in
 * Asia/Seoul, clamped to the month's end) is shared with the domain.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RunPart {
  orderId: string;
  months: number;
}

export interface Run {
  planId: number;
  price: number;
  anchor: number;
  parts: RunPart[];
  /** The run an upgrade cut (its index), whose unused days this run carries. */
  supersedes: number | null;
  cutAt: number | null;
}

const monthsOf = (run: Run): number => run.parts.reduce((sum, part) => sum + part.months, 0);

/** S3: floor(unused days × old price / new price), in exact integer arithmetic. */
export function scaledCreditDays(unusedMs: number, oldPrice: number, newPrice: number): number {
  if (!(unusedMs > 0)) return 0;
  if (![oldPrice, newPrice].every(Number.isSafeInteger) || newPrice <= 0 || !Number.isFinite(unusedMs))
    return Number.NaN; // prices that are no KRW amounts: no credit is right, so none compares equal
  return Number((BigInt(Math.floor(unusedMs)) * BigInt(oldPrice)) / (BigInt(DAY_MS) * BigInt(newPrice)));
}

export function creditOf(runs: readonly Run[], i: number): number {
  const run = runs[i];
  if (run.supersedes === null) return 0;
  const old = runs[run.supersedes];
  return scaledCreditDays(endOf(runs, run.supersedes) - run.anchor, old.price, run.price);
}

/** Where run `i` ends uncut: its anchor plus all its months (S4), plus its carried days (S3). */
export function endOf(runs: readonly Run[], i: number, extraMonths = 0): number {
  const run = runs[i];
  return addMonthsSeoul(run.anchor, monthsOf(run) + extraMonths) + creditOf(runs, i) * DAY_MS;
}

/** A purchase of `planId` at `at` continues the last run: same plan, uncut, ending exactly then. */
export function continuesLast(runs: readonly Run[], planId: number, at: number): boolean {
  const i = runs.length - 1;
  return i >= 0 && runs[i].planId === planId && runs[i].cutAt === null && endOf(runs, i) === at;
}

/** Where the months `orderId` bought in run `i` end (S4: counted from the anchor), or null if not there. */
export function segmentEnd(runs: readonly Run[], i: number, orderId: string): number | null {
  const run = runs[i];
  const k = run.parts.findIndex((part) => part.orderId === orderId);
  if (k < 0) return null;
  const months = run.parts.slice(0, k + 1).reduce((sum, part) => sum + part.months, 0);
  return addMonthsSeoul(run.anchor, months) + creditOf(runs, i) * DAY_MS;
}
