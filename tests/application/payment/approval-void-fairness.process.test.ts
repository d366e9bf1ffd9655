import type { ProcessJob } from '../../../src/application/jobs/process-job';
import type { PendingWork } from '../../../src/application/jobs/pending-work';
import { INLINE_GRACE_MS } from '../../../src/application/payment/approval-follow-up.pending';
import { APPROVAL_VOID } from '../../../src/application/payment/approval-void.pending';
import { BASIC, confirm, placeOrder } from '../support/purchases';
import { DAY, MINUTE, SECOND, startWorld, type ProcessWorld } from '../support/process-harness';

/** More than one scan page (500) of the job's pending work. */
const STUCK = 520;
const REFUSED = { refuse: 'NOT_CANCELABLE_PAYMENT' };

describe('approval void job: fair scan and parking (P2, issue cases 4 and 10)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  const voidJob = (): ProcessJob<PendingWork> => {
    const job = world.app.processes.find((p) => p.name === APPROVAL_VOID);
    if (!job) throw new Error('no approval-void process');
    return job;
  };

  /**
   * A refused approval (a tampered PortOne amount) whose void is owed: the confirm's own cancel
   * is refused by the PG, and with `stuck` every later one is too, until the PG recovers.
   */
  async function owedVoid(userId: string, stuck: boolean) {
    const order = await placeOrder(world, userId, BASIC);
    const impUid = world.portone.authorize(order.orderId, 100);
    if (stuck) world.portone.failAlways(impUid, 'cancel', REFUSED);
    else world.portone.failNext('cancel', REFUSED);
    await expect(confirm(world, 'portone', userId, order.orderId, impUid, null)).rejects.toMatchObject({
      code: 'AMOUNT_MISMATCH',
    });
    return { orderId: order.orderId, impUid };
  }

  async function owedVoids(n: number, prefix: string) {
    const owed: Array<{ orderId: string; impUid: string }> = [];
    // In small concurrent batches: distinct orders, so nothing contends.
    for (let i = 0; i < n; i += 20) {
      const batch = Array.from({ length: Math.min(20, n - i) }, (_, j) =>
        owedVoid(`${prefix}-${i + j}`, true),
      );
      owed.push(...(await Promise.all(batch)));
    }
    return owed;
  }

  it('handles a newer item at its due time while more than a page of older items keeps failing', async () => {
    // given more than a page of voids the PG keeps refusing, each tried once and backing off
    const stuck = await owedVoids(STUCK, 'stuck');
    await world.advance(INLINE_GRACE_MS + 5 * SECOND);
    const cancelsAfterFirstTries = world.portone.callsOf('cancel').length;
    expect(cancelsAfterFirstTries).toBe(2 * STUCK);

    // when a newer void falls due (listed after all of them), and the PG would accept it
    const newer = await owedVoid('newer', false);
    await world.advance(INLINE_GRACE_MS);

    // then it is done at its due time, while the stuck ones are still owed
    expect(await world.types(`order-${newer.orderId}`)).toContain('PgApprovalCancelled');
    expect(world.portone.cancelsOf(newer.impUid)).toHaveLength(1);
    expect((await voidJob().status()).pending).toBe(STUCK);
    expect(world.portone.cancelsOf(stuck[0]?.impUid as string)).toHaveLength(0);
  }, 30_000);

  it('parks an item after 12 failed attempts, visibly, and never tries it again, while the clock moves 30 days', async () => {
    // given a void the PG refuses every time
    const { orderId, impUid } = await owedVoid('kim', true);
    const tried = () => world.portone.callsOf('cancel').filter((c) => c.pgPaymentId === impUid).length;
    expect(tried()).toBe(1);

    // when two days pass (the backoff reaches 12 failures in about 14.5 hours)
    await world.advance(2 * DAY);

    // then it is parked after 12 attempts of the job, with the reason, on the process's stream
    expect(tried()).toBe(1 + 12);
    const status = await voidJob().status();
    expect(status.pending).toBe(0);
    expect(status.parked).toEqual([
      expect.objectContaining({
        id: `${orderId}:${impUid}`,
        reason: expect.stringContaining('NOT_CANCELABLE_PAYMENT'),
      }),
    ]);
    const parked = await world.events(`process-${APPROVAL_VOID}`);
    expect(parked.map((e) => e.type)).toEqual(['WorkParked']);
    expect(parked[0]?.data).toMatchObject({
      itemId: expect.stringContaining(`${orderId}:${impUid}@`),
      attempts: 12,
    });
    expect(world.reports.some((r) => r.message.includes(`parked ${orderId}:${impUid}@`))).toBe(true);

    // and when the service restarts (the job's memory of tries is gone) and 30 more days pass,
    // it is never tried again, and the scheduler steps through it all
    await world.restart();
    const target = world.clock.now() + 30 * DAY;
    await world.advance(30 * DAY);
    expect(tried()).toBe(1 + 12);
    expect(world.clock.now()).toBe(target);
    expect(world.reports.filter((r) => r.source === 'scheduler')).toEqual([]);
    expect((await voidJob().status()).parked).toHaveLength(1);
    // and the service still does its other work on time: a new order expires at its instant
    const order = await placeOrder(world, 'lee', BASIC);
    await world.advance(order.expiresAt - world.clock.now());
    expect((await world.types(`order-${order.orderId}`)).at(-1)).toBe('OrderExpired');
  });

  it('keeps no retry bookkeeping once the failing items are resolved', async () => {
    // given many voids failing on the backoff for a while
    const owed = await owedVoids(250, 'flaky');
    await world.advance(3 * MINUTE);
    // The retry bookkeeping is private and has no behaviour of its own to observe from outside
    // (issue case 10: a map that only grows is a leak, not a wrong answer), so it is read directly.
    const tries = () => (voidJob() as unknown as { tries: Map<string, unknown> }).tries.size;
    expect(tries()).toBe(250);

    // when the PG recovers and the job finishes them all
    for (const { impUid } of owed) world.portone.recover(impUid);
    await world.advance(10 * MINUTE);
    expect((await voidJob().status()).pending).toBe(0);
    await world.advance(MINUTE);

    // then every item is voided once, and nothing is remembered about them
    for (const { impUid } of owed.slice(0, 5)) expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
    expect(tries()).toBe(0);
  }, 30_000);
});
