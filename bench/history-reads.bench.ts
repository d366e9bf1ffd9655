/**
 * 3. History reads: one buyer with ~20 approved payments, then autocannon GET
 * /v1/users/me/payments at saturation (projection-backed, in-memory read models).
 */
import { prepareOrders } from './lib/api-client';
import { secondsSince, type BenchContext, type BenchOutcome } from './lib/bench-context';
import { cpuNote, runLoad } from './lib/load';
import { capacityRow } from './confirm-saturation.bench';

export interface HistoryReadsOptions {
  payments: number;
  connections: number;
  seconds: number;
}

export const READS_PER_SEC_TARGET = 5_000;

export function historyReadsOptions(env = process.env): HistoryReadsOptions {
  return {
    payments: Number(env.BENCH_HISTORY_PAYMENTS ?? 20),
    connections: Number(env.BENCH_READ_CONNECTIONS ?? 50),
    seconds: Number(env.BENCH_READ_SECONDS ?? 8),
  };
}

export async function historyReads(
  ctx: BenchContext,
  options = historyReadsOptions(),
): Promise<BenchOutcome> {
  const setupStarted = performance.now();
  const reader = await ctx.api.buyer('bench-history-reader');
  // Alternate BASIC and EVENT purchases so the history mixes both kinds.
  const basic = await prepareOrders(ctx.api, [reader], Math.ceil(options.payments / 2), {
    planId: 1,
    provider: 'toss',
    concurrency: 4,
  });
  const event = await prepareOrders(ctx.api, [reader], Math.floor(options.payments / 2), {
    planId: 3,
    provider: 'toss',
    amount: 5_000,
    concurrency: 4,
  });
  // One at a time: confirms of one buyer contend on the buyer's subscription stream.
  for (const order of [...basic, ...event]) {
    const { status, json } = await ctx.api.confirm(order);
    if (status !== 200) throw new Error(`history setup: confirm answered ${status}: ${JSON.stringify(json)}`);
  }
  const path = `/v1/users/me/payments?limit=${Math.min(100, options.payments)}`;
  const page = await ctx.api.expect<{ items: unknown[] }>([200], 'GET', path, undefined, reader.token);
  if (page.items.length !== options.payments) {
    throw new Error(
      `history setup: expected ${options.payments} payments, the read returned ${page.items.length}`,
    );
  }
  const setupSeconds = secondsSince(setupStarted);
  ctx.log(
    `history reads: ${options.payments} payments ready in ${setupSeconds} s; reading for ${options.seconds} s…`,
  );

  await ctx.settle();
  const result = await runLoad(
    {
      title: 'history',
      url: `${ctx.url}${path}`,
      connections: options.connections,
      duration: options.seconds,
      headers: { authorization: `Bearer ${reader.token}` },
    },
    ctx.cpu,
  );
  const bench = '3 history reads';
  return {
    rows: [
      {
        bench,
        metric: 'reads/s',
        value: result.perSec,
        unit: '/s',
        target: { op: '>=', value: READS_PER_SEC_TARGET },
        note: `${options.payments} items per page, ${options.connections} conns, ${options.seconds} s`,
      },
      {
        bench,
        metric: 'latency p50 / p99',
        value: `${result.latencyMs.p50} / ${result.latencyMs.p99} ms`,
        unit: 'ms',
        note: `${result.non2xx + result.errors === 0 ? 'all 2xx' : `non-2xx ${result.non2xx}, errors ${result.errors}`}; ${cpuNote(result)}`,
      },
      ...capacityRow(bench, 'read', result),
    ],
    details: { options, setupSeconds, result },
  };
}
