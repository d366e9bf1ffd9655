/**
 * 1. Confirms at saturation: N prepared Toss orders (each paid in the sandbox buyer's window),
 * then autocannon replays one confirm per order with many connections. Every answer should be
 * 200; anything else is reported.
 */
import { buyers, confirmBody, prepareOrders, type PreparedOrder } from './lib/api-client';
import { secondsSince, type BenchContext, type BenchOutcome } from './lib/bench-context';
import { cpuNote, jsonPost, replayList, runLoad, runLoadGroup, type LoadResult } from './lib/load';
import type { Row } from './lib/report';
import type { Settled } from './lib/service-process';

export interface ConfirmSaturationOptions {
  orders: number;
  /** Confirms run at saturation before the measured ones, so the JIT has compiled the path. */
  warmup: number;
  users: number;
  connections: number;
  planId: number;
  /** The buyers' names: `<userPrefix>-<n>` (runs on one service that should not share buyers differ here). */
  userPrefix: string;
}

export const CONFIRMS_PER_SEC_TARGET = 500;

export function confirmSaturationOptions(env = process.env): ConfirmSaturationOptions {
  return {
    orders: Number(env.BENCH_CONFIRMS ?? 3_000),
    warmup: Number(env.BENCH_CONFIRM_WARMUP ?? 1_000),
    users: Number(env.BENCH_USERS ?? 500),
    connections: Number(env.BENCH_CONNECTIONS ?? 64),
    planId: Number(env.BENCH_PLAN ?? 1),
    userPrefix: 'bench-sat',
  };
}

/**
 * Replays one confirm per prepared order through autocannon; `paid` collects the 200s. Starts
 * on an idle service, and after the run waits for the follow-up work each confirm causes (the
 * PG's webhook, its re-query and reconciliation), whose CPU is reported apart.
 */
export async function confirmAll(
  ctx: BenchContext,
  orders: PreparedOrder[],
  load: { title: string; connections: number; overallRate?: number; pacedInstances?: number },
  paid: Set<string> = new Set(),
) {
  const errors: string[] = [];
  /** Orders answered 202 PENDING (outcome unknown to the service when it answered). */
  const pending: string[] = [];
  const requests = replayList(
    orders,
    (o) => jsonPost('/v1/payments/confirm', o.buyer.token, confirmBody(o)),
    {
      errors,
      onOk: (body) => {
        const answer = JSON.parse(body) as { orderId: string; status: string };
        if (answer.status === 'PENDING') pending.push(answer.orderId);
        else paid.add(answer.orderId);
      },
    },
  );
  const base = { title: load.title, url: ctx.url, timeout: 30, requests };
  await ctx.settle();
  let result: LoadResult;
  if (load.pacedInstances && load.overallRate) {
    // One connection per instance, instances started evenly over a second (see runLoadGroup).
    const n = Math.min(load.pacedInstances, load.overallRate, orders.length);
    const share = (total: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
    const list = Array.from({ length: n }, (_, i) => ({
      ...base,
      connections: 1,
      overallRate: share(load.overallRate as number, i),
      amount: share(orders.length, i),
    }));
    result = await runLoadGroup(list, 1000 / n, ctx.cpu);
  } else {
    result = await runLoad(
      {
        ...base,
        connections: Math.min(load.connections, orders.length),
        overallRate: load.overallRate,
        amount: orders.length,
      },
      ctx.cpu,
    );
  }
  const followUp = await ctx.settle();
  return { result, errors, paid, pending, followUp };
}

/** What became of orders answered 202, once the service is idle again (GET /v1/payments/:orderId). */
export async function pendingOutcomes(ctx: BenchContext, orders: PreparedOrder[], pending: string[]) {
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  return Promise.all(
    pending.slice(0, 10).map(async (orderId) => {
      const order = byId.get(orderId);
      const answer = order
        ? await ctx.api.call<{ status?: string }>(
            'GET',
            `/v1/payments/${orderId}`,
            undefined,
            order.buyer.token,
          )
        : null;
      return { orderId, laterStatus: answer?.json?.status ?? `HTTP ${answer?.status}` };
    }),
  );
}

/**
 * Service CPU per request, counting the background work it left behind (`followUp`: CPU used
 * between the end of the run and the service going idle), and the rate one core would sustain.
 */
export function capacityRow(bench: string, what: string, result: LoadResult, followUp?: Settled): Row[] {
  if (!result.service || result.ok2xx === 0) return [];
  const during = result.service.cpuMsPerRequest;
  const after = followUp ? (followUp.cpuSeconds * 1000) / result.ok2xx : 0;
  const total = Math.round((during + after) * 100) / 100;
  const split = followUp ? ` (${during} during the run + ${after.toFixed(2)} follow-up after it)` : '';
  return [
    {
      bench,
      metric: `service CPU per ${what}`,
      value: total,
      unit: 'ms',
      // CPU time only: the event loop also sits blocked in fsync, which counts as no CPU.
      note: `≤ ${Math.round(1000 / total)}/s per core by CPU alone${split}`,
    },
  ];
}

export async function confirmSaturation(
  ctx: BenchContext,
  options = confirmSaturationOptions(),
): Promise<BenchOutcome & { paidOrders: PreparedOrder[] }> {
  const setupStarted = performance.now();
  const users = await buyers(ctx.api, options.userPrefix, options.users);
  const prepared = await prepareOrders(ctx.api, users, options.warmup + options.orders, {
    planId: options.planId,
    provider: 'toss',
  });
  const warmupOrders = prepared.slice(0, options.warmup);
  const orders = prepared.slice(options.warmup);
  const setupSeconds = secondsSince(setupStarted);
  ctx.log(
    `confirm saturation: ${prepared.length} orders prepared in ${setupSeconds} s; ` +
      `${warmupOrders.length} warm-up confirms, then ${orders.length} measured…`,
  );

  const paid = new Set<string>();
  const warmup =
    warmupOrders.length > 0
      ? await confirmAll(
          ctx,
          warmupOrders,
          { title: 'confirm warm-up', connections: options.connections },
          paid,
        )
      : null;
  const { result, errors, pending, followUp } = await confirmAll(
    ctx,
    orders,
    { title: 'confirm', connections: options.connections },
    paid,
  );
  const warmupOk = warmup === null || warmup.result.statusCodes['200'] === warmupOrders.length;
  const allOk = warmupOk && result.ok2xx === orders.length && result.statusCodes['200'] === orders.length;
  const pendingLater = await pendingOutcomes(ctx, orders, pending);
  return {
    rows: [
      {
        bench: '1 confirm, saturation',
        metric: 'confirms/s (Toss)',
        value: result.perSec,
        unit: '/s',
        target: { op: '>=', value: CONFIRMS_PER_SEC_TARGET },
        note:
          `${orders.length} orders after ${warmupOrders.length} warm-up, ${options.connections} conns, ` +
          `plan ${options.planId}, ${result.seconds.toFixed(1)} s`,
      },
      {
        bench: '1 confirm, saturation',
        metric: 'latency p50 / p99',
        value: `${result.latencyMs.p50} / ${result.latencyMs.p99} ms`,
        unit: 'ms',
        note: cpuNote(result),
      },
      ...capacityRow('1 confirm, saturation', 'confirm', result, followUp),
      {
        bench: '1 confirm, saturation',
        metric: 'all 200?',
        value: allOk ? 'yes' : 'NO',
        unit: '',
        note: allOk
          ? ''
          : `status codes ${JSON.stringify(result.statusCodes)}, errors ${result.errors}` +
            (warmupOk ? '' : `; warm-up status codes ${JSON.stringify(warmup?.result.statusCodes)}`) +
            (pendingLater.length
              ? `; 202s later: ${pendingLater.map((p) => `${p.orderId} ${p.laterStatus}`).join(', ')}`
              : ''),
      },
    ],
    details: {
      options,
      setupSeconds,
      warmup: warmup && { result: warmup.result, sampleErrors: warmup.errors, pending: warmup.pending },
      result,
      followUp,
      sampleErrors: errors,
      pending: pendingLater,
    },
    paidOrders: prepared.filter((o) => paid.has(o.orderId)),
    pendingOrderIds: [...(warmup?.pending ?? []), ...pending],
  };
}
