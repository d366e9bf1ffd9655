/**
 * 2. Confirm latency at a fixed offered rate, on fresh prepared orders, two ways:
 * - burst: one autocannon instance with `overallRate`. autocannon's rate is a quota per
 *   connection per second, refilled for every connection at the same instant, so the second's
 *   requests arrive as a burst of `connections` concurrent confirms, then a pause.
 * - paced: the same rate from staggered one-connection autocannon instances (runLoadGroup), so
 *   arrivals spread over the second, as independent buyers' would.
 */
import { buyers, prepareOrders } from './lib/api-client';
import { secondsSince, type BenchContext, type BenchOutcome } from './lib/bench-context';
import { cpuNote } from './lib/load';
import type { Row } from './lib/report';
import { confirmAll, pendingOutcomes } from './confirm-saturation.bench';

export interface ConfirmLatencyOptions {
  rate: number;
  seconds: number;
  /** Connections of the burst run; enough that the rate is reached at ~100 ms latency. */
  connections: number;
  /** One-connection instances of the paced run; 0 skips it. */
  pacedInstances: number;
  users: number;
  planId: number;
}

export const P99_TARGET_MS = 50;

export function confirmLatencyOptions(env = process.env): ConfirmLatencyOptions {
  return {
    rate: Number(env.BENCH_RATE ?? 250),
    seconds: Number(env.BENCH_RATE_SECONDS ?? 12),
    connections: Number(env.BENCH_RATE_CONNECTIONS ?? 25),
    pacedInstances: Number(env.BENCH_RATE_PACED_INSTANCES ?? 25),
    users: Number(env.BENCH_USERS ?? 500),
    planId: Number(env.BENCH_PLAN ?? 1),
  };
}

async function measure(ctx: BenchContext, options: ConfirmLatencyOptions, mode: 'burst' | 'paced') {
  const setupStarted = performance.now();
  const users = await buyers(ctx.api, `bench-rate-${mode}`, options.users);
  const count = options.rate * options.seconds;
  const orders = await prepareOrders(ctx.api, users, count, { planId: options.planId, provider: 'toss' });
  const setupSeconds = secondsSince(setupStarted);
  ctx.log(
    `confirm latency (${mode}): ${count} orders prepared in ${setupSeconds} s; ${options.rate}/s for ${options.seconds} s…`,
  );
  const { result, errors, pending, followUp } = await confirmAll(ctx, orders, {
    title: `latency-${mode}`,
    connections: options.connections,
    overallRate: options.rate,
    pacedInstances: mode === 'paced' ? options.pacedInstances : undefined,
  });
  const how =
    mode === 'burst'
      ? `1 instance, ${Math.min(options.connections, options.rate)} conns`
      : `${options.pacedInstances} staggered 1-conn instances`;
  const bench = `2 confirm @ ${options.rate}/s ${mode}`;
  const { p50, p90, p99, max } = result.latencyMs;
  const rows: Row[] = [
    { bench, metric: 'latency p50 / p90', value: `${p50} / ${p90} ms`, unit: 'ms', note: cpuNote(result) },
    {
      bench,
      metric: 'latency p99',
      value: p99,
      unit: 'ms',
      target: { op: '<=', value: P99_TARGET_MS },
      note: `max ${max} ms; ${how}`,
    },
    {
      bench,
      metric: 'achieved rate',
      value: result.perSec,
      unit: '/s',
      note:
        result.statusCodes['200'] === result.requests && result.errors === 0
          ? `${result.ok2xx} confirms, all 200`
          : `non-2xx ${result.non2xx}, errors ${result.errors}: ${JSON.stringify(result.statusCodes)}`,
    },
  ];
  const later = await pendingOutcomes(ctx, orders, pending);
  return {
    rows,
    details: { mode, setupSeconds, result, followUp, sampleErrors: errors, pending: later },
    pending,
  };
}

export async function confirmLatency(
  ctx: BenchContext,
  options = confirmLatencyOptions(),
): Promise<BenchOutcome> {
  const burst = await measure(ctx, options, 'burst');
  const paced = options.pacedInstances > 0 ? await measure(ctx, options, 'paced') : null;
  return {
    rows: [...burst.rows, ...(paced?.rows ?? [])],
    details: { options, burst: burst.details, paced: paced?.details ?? null },
    pendingOrderIds: [...burst.pending, ...(paced?.pending ?? [])],
  };
}
