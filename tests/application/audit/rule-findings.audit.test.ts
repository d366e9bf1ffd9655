import fs from 'node:fs';
import type { Finding } from '../../../src/application/audit/audit-finding';
import type { EventStore } from '../../../src/application/ports/event-store.port';
import { BASIC, EVENT, PREMIUM, purchase } from '../support/purchases';
import { DAY, HOUR, startWorld } from '../support/process-harness';
import { copyOf, editData, rowsOf, tamper } from './audited-history';
import { auditWith, craft, craftInto, type Crafted } from './crafted-history';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const LATER = iso(T0 + 10 * DAY);

interface History {
  dir: string;
  /** Alice's BASIC order, bought at T0: her period runs to Apr 1. */
  alice: string;
  /** Bob's EVENT contribution of 10,000 at T0. */
  bob: string;
  /** Carol's BASIC order, bought a day after T0 (as are Dora's PREMIUM and queued BASIC). */
  carol: string;
}

/** Three purchases by the service, sealed at shutdown: every crafted event comes after. */
async function buildHistory(): Promise<History> {
  const world = await startWorld(T0);
  const alice = await purchase(world, 'alice', BASIC);
  const bob = await purchase(world, 'bob', EVENT, 'portone', 10_000);
  await world.advance(DAY);
  const carol = await purchase(world, 'carol', BASIC);
  await purchase(world, 'dora', PREMIUM);
  await purchase(world, 'dora', BASIC); // queued until the premium month ends on Apr 2
  await world.restart(); // the shutdown seal
  const dir = copyOf(world.dataDir);
  await world.close();
  return { dir, alice: alice.orderId, bob: bob.orderId, carol: carol.orderId };
}

const at = (c: Crafted): Partial<Finding> => ({
  streamId: c.streamId,
  revision: c.revision,
  globalPosition: c.globalPosition,
});

/** A subscription order placed and paid, as a decider would have recorded it (for crafted periods). */
async function paidOrder(
  store: EventStore,
  orderId: string,
  userId: string,
  planType: 'SUBSCRIPTION' | 'EVENT',
  amount: number,
  when: number,
  planId = planType === 'EVENT' ? 3 : 1,
) {
  const placed = {
    orderId,
    userId,
    planId,
    planType,
    planName: 'crafted',
    planMonths: planType === 'EVENT' ? null : 1,
    orderName: 'crafted',
    amount,
    currency: 'KRW',
    createdAt: iso(when),
    expiresAt: iso(when + HOUR),
  };
  await craft(store, `order-${orderId}`, 'OrderPlaced', placed, iso(when));
  const paid = {
    attempt: null,
    provider: 'toss',
    pgPaymentId: `pg-${orderId}`,
    amount,
    approvedAt: iso(when),
    methodDetail: { method: 'CARD' },
  };
  const orderPaid = await craft(store, `order-${orderId}`, 'OrderPaid', paid, iso(when));
  return { placed, paid, orderPaid };
}

/**
 * Issue #10 points 2 and 7: each rule, broken by a history crafted through the port (what a
 * decider bug would have let through), is found at the event that breaks it.
 */
describe('the audit finds each broken business rule at its event', () => {
  let history: History;
  let dir: string;
  beforeAll(async () => {
    history = await buildHistory();
  });
  afterAll(() => fs.rmSync(history.dir, { recursive: true, force: true }));
  beforeEach(() => {
    dir = copyOf(history.dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ruleFindings = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);
  const refundRequest = (refundId: string, by: { userId: string; role: string }, requestedAt: number) => ({
    refundId,
    amount: 1_000,
    reason: 'crafted',
    requestedBy: by,
    requestedAt: iso(requestedAt),
    refundWindowDays: 3,
    idempotencyKey: refundId,
    balanceBefore: 9_900,
  });

  it('the history as the service made it is clean', async () => {
    const report = await auditWith(dir);
    expect(report.findings).toEqual([]);
    expect(report.unsealedEvents).toBe(0);
  });

  it('an owner refund after the window recorded with it, or by another user; an admin at any time is fine', async () => {
    const stream = `payment-${history.alice}`;
    const late = T0 + 3 * DAY; // the window closes at exactly approval + 3 days
    let lateByOwner!: Crafted;
    let byStranger!: Crafted;
    await craftInto(dir, async (store) => {
      await craft(
        store,
        stream,
        'RefundRequested',
        refundRequest('in-time', { userId: 'alice', role: 'user' }, late - 1),
        iso(late - 1),
      );
      lateByOwner = await craft(
        store,
        stream,
        'RefundRequested',
        refundRequest('late', { userId: 'alice', role: 'user' }, late),
        iso(late),
      );
      await craft(
        store,
        stream,
        'RefundRequested',
        refundRequest('admin', { userId: 'ops', role: 'admin' }, T0 + 30 * DAY),
        iso(T0 + 30 * DAY),
      );
      byStranger = await craft(
        store,
        stream,
        'RefundRequested',
        refundRequest('stranger', { userId: 'mallory', role: 'user' }, T0),
        iso(T0 + 30 * DAY),
      );
    });
    const { findings } = await auditWith(dir);
    expect(ruleFindings(findings, 'owner-refund-within-window')).toEqual([
      expect.objectContaining({
        kind: 'rule-violated',
        ...at(lateByOwner),
        detail: expect.stringContaining('3-day window'),
      }),
      expect.objectContaining(at(byStranger)),
    ]);
  });

  it('a back-dated request is judged by when it was recorded', async () => {
    let backDated!: Crafted;
    await craftInto(dir, async (store) => {
      backDated = await craft(
        store,
        `payment-${history.alice}`,
        'RefundRequested',
        refundRequest('r', { userId: 'alice', role: 'user' }, T0),
        iso(T0 + 5 * DAY),
      );
    });
    expect(ruleFindings((await auditWith(dir)).findings, 'owner-refund-within-window')).toEqual([
      expect.objectContaining(at(backDated)),
    ]);
  });

  it('a subscription period bought by an EVENT contribution is backed by no subscription payment', async () => {
    let period!: Crafted;
    await craftInto(dir, async (store) => {
      period = await craft(
        store,
        'subscription-bob',
        'SubscriptionPurchaseApplied',
        {
          userId: 'bob',
          orderId: history.bob,
          planId: 1,
          planName: 'crafted',
          price: 10_000,
          months: 1,
          approvedAt: iso(T0),
          effectiveAt: iso(T0),
          effect: 'STARTED',
          anchor: iso(T0),
          periodStart: iso(T0),
          periodEnd: iso(Date.parse('2026-04-01T00:00:00Z')),
          creditDays: 0,
        },
        LATER,
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({ rule: 'subscription-period-backed', ...at(period) }),
    ]);
  });

  it('a period still standing after its payment was fully refunded is found at the purchase that applied it', async () => {
    const subscription = (await rowsIn(dir, 'subscription-carol'))[0];
    await craftInto(dir, async (store) => {
      const full = {
        ...refundRequest('full', { userId: 'ops', role: 'admin' }, T0 + 2 * DAY),
        amount: 9_900,
      };
      await craft(store, `payment-${history.carol}`, 'RefundRequested', full, LATER);
      await craft(
        store,
        `payment-${history.carol}`,
        'RefundCompleted',
        { refundId: 'full', pgCancelId: 'c1', completedAt: LATER },
        LATER,
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'subscription-period-backed',
        streamId: 'subscription-carol',
        revision: 0,
        globalPosition: subscription.global_position,
        detail: expect.stringContaining('fully refunded'),
      }),
    ]);
  });

  it('a full refund whose removal keeps the current period as elapsed history is found at the removal', async () => {
    const carolEnd = '2026-04-02T00:00:00.000Z'; // bought Mar 2, one month
    let removal!: Crafted;
    await craftInto(dir, async (store) => {
      const full = {
        ...refundRequest('full', { userId: 'ops', role: 'admin' }, T0 + 2 * DAY),
        amount: 9_900,
      };
      await craft(store, `payment-${history.carol}`, 'RefundRequested', full, LATER);
      await craft(
        store,
        `payment-${history.carol}`,
        'RefundCompleted',
        { refundId: 'full', pgCancelId: 'c1', completedAt: LATER },
        LATER,
      );
      removal = await craft(
        store,
        'subscription-carol',
        'SubscriptionPurchaseRemoved',
        { orderId: history.carol, at: LATER, effect: 'PAST', periodEnd: carolEnd },
        LATER,
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'subscription-period-backed',
        ...at(removal),
        detail: expect.stringContaining('kept them as elapsed history'),
      }),
    ]);
  });

  it('a renewal that moved the start but not the end breaks S2, found at the renewal', async () => {
    const renewedAt = T0 + 2 * DAY;
    const aprilFirst = iso(Date.parse('2026-04-01T00:00:00Z'));
    let renewal!: Crafted;
    await craftInto(dir, async (store) => {
      const { paid } = await paidOrder(store, 'renewal', 'alice', 'SUBSCRIPTION', 9_900, renewedAt);
      await craft(
        store,
        'payment-renewal',
        'PaymentApproved',
        { orderId: 'renewal', userId: 'alice', planId: 1, planType: 'SUBSCRIPTION', ...paid },
        iso(renewedAt),
      );
      renewal = await craft(
        store,
        'subscription-alice',
        'SubscriptionPurchaseApplied',
        {
          userId: 'alice',
          orderId: 'renewal',
          planId: 1,
          planName: 'crafted',
          price: 9_900,
          months: 1,
          approvedAt: iso(renewedAt),
          effectiveAt: iso(renewedAt),
          effect: 'EXTENDED',
          anchor: iso(T0),
          periodStart: aprilFirst,
          periodEnd: aprilFirst,
          creditDays: 0,
        },
        iso(renewedAt),
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'subscription-period-terms',
        ...at(renewal),
        detail: expect.stringContaining(
          'expected EXTENDED from 2026-04-01T00:00:00.000Z to 2026-05-01T00:00:00.000Z',
        ),
      }),
    ]);
  });

  it('an upgrade carrying the unused days unscaled by price breaks S3, found at the upgrade', async () => {
    const upgradedAt = T0 + DAY; // 30 days of the BASIC month left: 30 × 9,900 / 19,900 = 14 days
    let upgrade!: Crafted;
    await craftInto(dir, async (store) => {
      const { paid } = await paidOrder(store, 'upgrade', 'alice', 'SUBSCRIPTION', 19_900, upgradedAt, 2);
      await craft(
        store,
        'payment-upgrade',
        'PaymentApproved',
        { orderId: 'upgrade', userId: 'alice', planId: 2, planType: 'SUBSCRIPTION', ...paid },
        iso(upgradedAt),
      );
      upgrade = await craft(
        store,
        'subscription-alice',
        'SubscriptionPurchaseApplied',
        {
          userId: 'alice',
          orderId: 'upgrade',
          planId: 2,
          planName: 'crafted',
          price: 19_900,
          months: 1,
          approvedAt: iso(upgradedAt),
          effectiveAt: iso(upgradedAt),
          effect: 'UPGRADED',
          anchor: iso(upgradedAt),
          periodStart: iso(upgradedAt),
          periodEnd: iso(Date.parse('2026-04-02T00:00:00Z') + 30 * DAY),
          creditDays: 30,
        },
        iso(upgradedAt),
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'subscription-period-terms',
        ...at(upgrade),
        detail: expect.stringContaining('14 credit days'),
      }),
    ]);
  });

  it('a queued period started before the one ahead of it ended breaks S3, found at the start', async () => {
    const early = T0 + 10 * DAY;
    let start!: Crafted;
    await craftInto(dir, async (store) => {
      const queued = (await store.readStream('subscription-dora'))[1];
      start = await craft(
        store,
        'subscription-dora',
        'QueuedPeriodStarted',
        {
          orderId: queued.data.orderId,
          planId: 1,
          planName: 'crafted',
          start: iso(early),
          end: iso(Date.parse('2026-04-11T00:00:00Z')),
          anchor: iso(early),
        },
        iso(early),
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'subscription-period-terms',
        ...at(start),
        detail: expect.stringContaining('not when the one before it ended (2026-04-02T00:00:00.000Z)'),
      }),
    ]);
  });

  it('an expiry before the period ends (a midnight cron) is found at the expiry', async () => {
    let expiry!: Crafted;
    await craftInto(dir, async (store) => {
      expiry = await craft(
        store,
        'subscription-alice',
        'SubscriptionExpired',
        { at: iso(T0 + 15 * DAY) },
        iso(T0 + 15 * DAY),
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'expiry-at-period-end',
        ...at(expiry),
        detail: expect.stringContaining('the period ends at 2026-04-01T00:00:00.000Z'),
      }),
    ]);
  });

  it('an expiry recorded before its own instant is found too', async () => {
    let early!: Crafted;
    const end = Date.parse('2026-04-01T00:00:00Z');
    await craftInto(dir, async (store) => {
      early = await craft(
        store,
        'subscription-alice',
        'SubscriptionExpired',
        { at: iso(end) },
        iso(end - HOUR),
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({
        rule: 'expiry-at-period-end',
        ...at(early),
        detail: expect.stringContaining('before the period'),
      }),
    ]);
  });

  it('an EVENT order paid with no approved payment leaves the fund short, found at its payment', async () => {
    let orderPaid!: Crafted;
    await craftInto(dir, async (store) => {
      ({ orderPaid } = await paidOrder(store, 'gift', 'erin', 'EVENT', 5_000, T0 + DAY));
    });
    const report = await auditWith(dir);
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'event-fund-equals-payments', ...at(orderPaid) }),
    ]);
    expect(report.totals.eventFund).toEqual({ total: 10_000, contributions: 1 });
  });

  it('a payment counted as a contribution for a subscription order is found at the approval', async () => {
    let approval!: Crafted;
    await craftInto(dir, async (store) => {
      const { paid } = await paidOrder(store, 'misfiled', 'erin', 'SUBSCRIPTION', 9_900, T0 + DAY);
      approval = await craft(
        store,
        'payment-misfiled',
        'PaymentApproved',
        { orderId: 'misfiled', userId: 'erin', planId: 3, planType: 'EVENT', ...paid },
        LATER,
      );
    });
    expect((await auditWith(dir)).findings).toEqual([
      expect.objectContaining({ rule: 'event-fund-equals-payments', ...at(approval) }),
    ]);
  });

  it('work a process parked and nobody retried is a finding; a retried one is not', async () => {
    let parked!: Crafted;
    await craftInto(dir, async (store) => {
      const park = (itemId: string) => ({
        process: 'refund-execution',
        itemId,
        reason: 'PG keeps failing',
        attempts: 12,
        at: LATER,
      });
      parked = await craft(
        store,
        'process-refund-execution',
        'WorkParked',
        park(`${history.alice}:r1@1`),
        LATER,
      );
      await craft(store, 'process-refund-execution', 'WorkParked', park(`${history.carol}:r2@2`), LATER);
      await craft(
        store,
        'process-refund-execution',
        'ParkedWorkRetried',
        { process: 'refund-execution', itemId: `${history.carol}:r2@2`, at: LATER },
        LATER,
      );
    });
    const report = await auditWith(dir);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'work-parked',
        ...at(parked),
        detail: expect.stringContaining('after 12 attempts'),
      }),
    ]);
    expect(report.findingsByKind).toEqual({ 'work-parked': 1 });
  });

  it('--as-of: rules see only the events recorded by then, the chains and seals the whole store', async () => {
    const asOf = iso(T0 + HOUR); // before Carol's purchase
    await craftInto(dir, async (store) => {
      await craft(
        store,
        `payment-${history.alice}`,
        'RefundRequested',
        refundRequest('late', { userId: 'alice', role: 'user' }, T0 + 5 * DAY),
        iso(T0 + 5 * DAY),
      );
    });
    let carolPlaced = 0;
    tamper(dir, (db) => {
      carolPlaced = rowsOf(db, `order-${history.carol}`)[0].global_position;
      editData(db, carolPlaced, (data) => (data.amount = 1));
    });
    const report = await auditWith(dir, { asOf });
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'hash-mismatch',
        streamId: `order-${history.carol}`,
        globalPosition: carolPlaced,
      }),
    ]);
    expect(report.totals).toMatchObject({
      at: asOf,
      orders: { placed: 2, paid: 2 },
      subscriptions: { active: 1, inactive: 0 },
    });
    const now = await auditWith(dir);
    expect(now.findings.map((f) => f.rule ?? f.kind)).toEqual(
      expect.arrayContaining(['hash-mismatch', 'owner-refund-within-window']),
    );
  });

  it("--user and --order report only their own streams' findings (seal findings always)", async () => {
    let late!: Crafted;
    let parked!: Crafted;
    await craftInto(dir, async (store) => {
      late = await craft(
        store,
        `payment-${history.alice}`,
        'RefundRequested',
        refundRequest('late', { userId: 'alice', role: 'user' }, T0 + 5 * DAY),
        iso(T0 + 5 * DAY),
      );
      parked = await craft(
        store,
        'process-refund-execution',
        'WorkParked',
        {
          process: 'refund-execution',
          itemId: `${history.alice}:late@1`,
          reason: 'x',
          attempts: 12,
          at: LATER,
        },
        LATER,
      );
      await craft(
        store,
        'subscription-alice',
        'SubscriptionExpired',
        { at: iso(T0 + 15 * DAY) },
        iso(T0 + 15 * DAY),
      );
    });
    const kinds = (report: { findings: Finding[] }) => report.findings.map((f) => f.rule ?? f.kind).sort();
    expect(kinds(await auditWith(dir, { userId: 'alice' }))).toEqual([
      'expiry-at-period-end',
      'owner-refund-within-window',
      'work-parked',
    ]);
    expect(kinds(await auditWith(dir, { orderId: history.alice }))).toEqual([
      'owner-refund-within-window',
      'work-parked',
    ]);
    expect((await auditWith(dir, { orderId: history.alice })).findings[0]).toMatchObject(at(late));
    expect((await auditWith(dir, { orderId: history.alice })).findings[1]).toMatchObject(at(parked));
    expect((await auditWith(dir, { userId: 'bob' })).findings).toEqual([]);
    expect((await auditWith(dir, { orderId: history.carol })).findings).toEqual([]);
    // A user the history never mentions is no clean audit: it is refused (a mistyped id, say).
    await expect(auditWith(dir, { userId: 'nobody' })).rejects.toThrow('no streams for user nobody');
  });
});

async function rowsIn(dir: string, streamId: string) {
  let rows: ReturnType<typeof rowsOf> = [];
  tamper(dir, (db) => {
    rows = rowsOf(db, streamId);
  });
  return rows;
}
