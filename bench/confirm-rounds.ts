/**
 * Confirms at saturation on several running services, measured in turn, for a comparison of
 * like with like: on a 2-core VM one run's figure swings about ±10% from run to run, so a single
 * run of each says little. Each round runs `confirmSaturation` once on each service, the order
 * rotating from round to round (A B C, B C A, C A B, …: with two, A B, B A, …), so each takes
 * each place equally often over a multiple of their number of rounds. The others stay idle:
 * whenever the measured one is settled (before its warm-up, before its measured run, after
 * each), they are settled too, and their CPU during the measured run is reported. Each round has
 * buyers of its own (`bench-sat-r<round>-<n>`), so every round does the same work on fresh
 * subscriptions.
 */
import { confirmSaturation, confirmSaturationOptions } from './confirm-saturation.bench';
import type { BenchContext } from './lib/bench-context';
import type { Settled } from './lib/service-process';
import { formatNumber } from './lib/report';

export interface Contender {
  label: string;
  ctx: BenchContext;
}

/** One confirm-saturation run of one round. */
export interface RoundRun {
  round: number;
  label: string;
  /** 1: measured first in its round, 2: second, … */
  position: number;
  confirmsPerSec: number;
  /** The `service CPU per confirm` row: CPU during the run plus its follow-up, per confirm. */
  cpuMsPerConfirm: number;
  allOk: boolean;
  /** What went wrong when not every confirm answered 200 (the run's `all 200?` note). */
  failure?: string;
  /** CPU seconds the other services used together during the measured run (after the warm-up). */
  idleCpuSeconds: number;
  /** confirmSaturation's own details: options, set-up time, warm-up, the measured run, follow-up. */
  details: Record<string, unknown>;
}

export function confirmRounds(env = process.env): number {
  const rounds = Number(env.BENCH_CONFIRM_ROUNDS ?? 6);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(
      `BENCH_CONFIRM_ROUNDS takes a whole number of rounds ≥ 1, not ${env.BENCH_CONFIRM_ROUNDS}`,
    );
  return rounds;
}

export async function alternatingConfirms(
  contenders: readonly Contender[],
  rounds: number,
  log: (message: string) => void,
): Promise<RoundRun[]> {
  const runs: RoundRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    const shift = (round - 1) % contenders.length;
    const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
    for (const [index, measured] of order.entries()) {
      const idle = contenders.filter((contender) => contender !== measured).map((c) => c.ctx);
      const idleCpuAtMeters: number[] = [];
      log(`confirms, round ${round}/${rounds}, ${measured.label} (${index + 1} of ${order.length})…`);
      const outcome = await confirmSaturation(besideIdle(measured.ctx, idle, idleCpuAtMeters), {
        ...confirmSaturationOptions(),
        userPrefix: `bench-sat-r${round}`,
      });
      // Sampled at the start and the end of each load run: the last two frame the measured run.
      const [measuredFrom, measuredTo] = idleCpuAtMeters.slice(-2);
      const row = (metric: string) => outcome.rows.find((r) => r.metric === metric);
      const number = (metric: string) => {
        const value = row(metric)?.value;
        return typeof value === 'number' ? value : Number.NaN;
      };
      const allOk = row('all 200?')?.value === 'yes';
      runs.push({
        round,
        label: measured.label,
        position: index + 1,
        confirmsPerSec: number('confirms/s (Toss)'),
        cpuMsPerConfirm: number('service CPU per confirm'),
        allOk,
        ...(allOk ? {} : { failure: row('all 200?')?.note ?? '' }),
        idleCpuSeconds: Math.round((measuredTo - measuredFrom) * 100) / 100,
        details: outcome.details,
      });
    }
  }
  return runs;
}

/**
 * The measured service's context, in which settling also settles the idle ones (after it: the
 * follow-up CPU reported stays the measured one's, counted until it was quiet) and each load
 * run's CPU meter also samples the idle ones' CPU, summed, into `idleCpuAtMeters`.
 */
function besideIdle(
  measured: BenchContext,
  idle: readonly BenchContext[],
  idleCpuAtMeters: number[],
): BenchContext {
  return {
    ...measured,
    cpu: {
      ...measured.cpu,
      service: () => {
        idleCpuAtMeters.push(idle.reduce((sum, ctx) => sum + ctx.cpu.service(), 0));
        return measured.cpu.service();
      },
    },
    settle: async (): Promise<Settled> => {
      const own = await measured.settle();
      for (const ctx of idle) await ctx.settle();
      return own;
    },
  };
}

/** The median of some figures and their range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values };
}

/** "1,012 / 990 / 1,060 (990–1,060)": each round's figure in order, then the range. */
export function describeSpread(spread: Spread, format: (value: number) => string = formatNumber): string {
  const each = spread.values.map(format).join(' / ');
  return spread.values.length > 1 ? `${each} (${format(spread.min)}–${format(spread.max)})` : each;
}

/** Whether two ranges share a value: if so, a gap between their medians is within the noise. */
export function rangesOverlap(x: Spread, y: Spread): boolean {
  return x.min <= y.max && y.min <= x.max;
}
