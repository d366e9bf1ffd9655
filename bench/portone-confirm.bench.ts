/**
 * 5b. The PortOne confirm path at saturation: orders paid in the PortOne sandbox window, then
 * `{provider: "portone", impUid, orderId}` confirms (token, then GET /payments/{imp_uid}).
 * PortOne also notifies a payment by webhook, and a confirm that finds the approval already
 * recorded from it makes no PG call. So the payments are made with a `notice_url` pointing at
 * a sink that only acknowledges: every confirm asks the PG, and the row counts the calls.
 */
import { buyers, prepareOrders } from './lib/api-client';
import { secondsSince, type BenchContext, type BenchOutcome } from './lib/bench-context';
import { cpuNote } from './lib/load';
import { startWebhookSink } from './lib/webhook-sink';
import { capacityRow, confirmAll, pendingOutcomes } from './confirm-saturation.bench';

export interface PortoneConfirmOptions {
  orders: number;
  users: number;
  connections: number;
  planId: number;
}

export function portoneConfirmOptions(env = process.env): PortoneConfirmOptions {
  return {
    orders: Number(env.BENCH_PORTONE_CONFIRMS ?? 1_500),
    users: Number(env.BENCH_USERS ?? 500),
    connections: Number(env.BENCH_CONNECTIONS ?? 64),
    planId: Number(env.BENCH_PLAN ?? 1),
  };
}

export async function portoneConfirm(
  ctx: BenchContext,
  options = portoneConfirmOptions(),
): Promise<BenchOutcome> {
  const setupStarted = performance.now();
  const sink = await startWebhookSink();
  const users = await buyers(ctx.api, 'bench-portone', options.users);
  const orders = await prepareOrders(ctx.api, users, options.orders, {
    planId: options.planId,
    provider: 'portone',
    noticeUrl: sink.url,
  });
  const setupSeconds = secondsSince(setupStarted);
  ctx.log(`PortOne confirm: ${orders.length} orders prepared in ${setupSeconds} s; confirming…`);

  const pgCalls = async () => {
    const { response } = await ctx.api.pgGet<{ response: Record<string, number> }>('/sandbox/portone/calls');
    return (response.confirm ?? 0) + (response.lookup ?? 0);
  };
  await ctx.settle();
  const callsBefore = await pgCalls();
  const { result, errors, pending, followUp } = await confirmAll(ctx, orders, {
    title: 'portone',
    connections: options.connections,
  }).finally(() => sink.close());
  const reachedPg = (await pgCalls()) - callsBefore;
  const allOk = result.statusCodes['200'] === orders.length;
  const bench = '5 confirm, PortOne';
  return {
    rows: [
      {
        bench,
        metric: 'confirms/s (PortOne)',
        value: result.perSec,
        unit: '/s',
        note:
          `${orders.length} orders, ${options.connections} conns, ${result.seconds.toFixed(1)} s; ` +
          `${reachedPg} PG look-ups (webhooks went to a sink, so each confirm asks the PG)`,
      },
      {
        bench,
        metric: 'latency p50 / p99',
        value: `${result.latencyMs.p50} / ${result.latencyMs.p99} ms`,
        unit: 'ms',
        note: `${allOk ? 'all 200' : `NOT all 200: ${JSON.stringify(result.statusCodes)}, errors ${result.errors}`}; ${cpuNote(result)}`,
      },
      ...capacityRow(bench, 'confirm', result, followUp),
    ],
    details: {
      options,
      setupSeconds,
      result,
      followUp,
      reachedPg,
      webhooksToSink: sink.received(),
      sampleErrors: errors,
      pending: await pendingOutcomes(ctx, orders, pending),
    },
    pendingOrderIds: pending,
  };
}
