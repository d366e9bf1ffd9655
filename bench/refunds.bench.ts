/**
 * 5a. Refunds per second: full refunds (`POST /v1/payments/:orderId/refunds {reason}`) of
 * orders approved by the confirm benchmark, one per order, at saturation. The route arrives
 * with issue 3: while it is missing (a route-level 404, code NOT_FOUND) the benchmark reports
 * "not available" instead of failing.
 */
import type { PreparedOrder } from './lib/api-client';
import type { BenchContext, BenchOutcome } from './lib/bench-context';
import { capacityRow } from './confirm-saturation.bench';
import { cpuNote, jsonPost, replayList, runLoad } from './lib/load';

export interface RefundsOptions {
  refunds: number;
  connections: number;
}

export function refundsOptions(env = process.env): RefundsOptions {
  return {
    refunds: Number(env.BENCH_REFUNDS ?? 1_500),
    connections: Number(env.BENCH_CONNECTIONS ?? 64),
  };
}

const refundPath = (orderId: string) => `/v1/payments/${encodeURIComponent(orderId)}/refunds`;
const refundBody = { reason: 'ledgerline bench: full refund' };

export async function refunds(
  ctx: BenchContext,
  paidOrders: PreparedOrder[],
  options = refundsOptions(),
): Promise<BenchOutcome> {
  const bench = '5 refunds';
  const unavailable = (why: string): BenchOutcome => ({
    rows: [{ bench, metric: 'refunds/s', value: 'not available', unit: '', note: why }],
    details: { available: false, reason: why },
  });
  if (paidOrders.length < 2) return unavailable('no approved orders to refund');

  // Probe with one order: a route-level 404 means the refund route is not there yet.
  const [probe, ...rest] = paidOrders;
  const answer = await ctx.api.call<{ code?: string }>(
    'POST',
    refundPath(probe.orderId),
    refundBody,
    probe.buyer.token,
  );
  if (answer.status === 404 && answer.json?.code !== 'PAYMENT_NOT_FOUND') {
    return unavailable(`POST /v1/payments/:orderId/refunds → 404 ${answer.json?.code ?? ''}`.trim());
  }
  if (answer.status !== 201 && answer.status !== 202) {
    return unavailable(
      `probe refund answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 200)}`,
    );
  }

  const targets = rest.slice(0, options.refunds);
  ctx.log(`refunds: ${targets.length} full refunds…`);
  const errors: string[] = [];
  await ctx.settle();
  const result = await runLoad(
    {
      title: 'refunds',
      url: ctx.url,
      connections: Math.min(options.connections, targets.length),
      amount: targets.length,
      timeout: 30,
      requests: replayList(targets, (o) => jsonPost(refundPath(o.orderId), o.buyer.token, refundBody), {
        errors,
      }),
    },
    ctx.cpu,
  );
  const followUp = await ctx.settle();
  const created = result.statusCodes['201'] ?? 0;
  return {
    rows: [
      {
        bench,
        metric: 'refunds/s',
        value: result.perSec,
        unit: '/s',
        note: `${targets.length} full refunds, ${options.connections} conns, ${result.seconds.toFixed(1)} s`,
      },
      {
        bench,
        metric: 'latency p50 / p99',
        value: `${result.latencyMs.p50} / ${result.latencyMs.p99} ms`,
        unit: 'ms',
        note: `${created === targets.length ? 'all 201' : `status codes ${JSON.stringify(result.statusCodes)}, errors ${result.errors}`}; ${cpuNote(result)}`,
      },
      ...capacityRow(bench, 'refund', result, followUp),
    ],
    details: { available: true, options, result, followUp, sampleErrors: errors },
  };
}
