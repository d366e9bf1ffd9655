import type { AuditReport } from '../../../src/application/audit/history-audit';
import { BASIC, EVENT, PREMIUM, purchase, refund } from '../support/purchases';
import { DAY, startWorld, type ProcessWorld } from '../support/process-harness';
import { auditWith } from './crafted-history';

const admin = { userId: 'ops', role: 'admin' as const };
const owner = (userId: string) => ({ userId, role: 'user' as const });

/**
 * Issue #10 points 2 and 5: a history made only by the real service flows (every kind of
 * purchase effect, owner and admin refunds, partial and full, the event fund, queued periods
 * starting and expiries at their period ends) holds every rule, and its totals add up.
 */
describe('the audit of a history made by the service', () => {
  let world: ProcessWorld;
  let report: AuditReport;
  const at: Record<string, string> = {};
  const orders: Record<string, string> = {};
  beforeAll(async () => {
    // Jan 31 00:00 in Seoul: one month later clamps to Feb 28 (S4).
    world = await startWorld(Date.parse('2026-01-30T15:00:00Z'));
    orders.alice1 = (await purchase(world, 'alice', BASIC)).orderId; // STARTED
    await world.advance(DAY);
    orders.alice2 = (await purchase(world, 'alice', BASIC)).orderId; // EXTENDED: Mar 31, not Mar 28
    await world.advance(DAY);
    orders.alice3 = (await purchase(world, 'alice', PREMIUM)).orderId; // UPGRADED, with credit days
    orders.alice4 = (await purchase(world, 'alice', BASIC)).orderId; // QUEUED after the premium
    orders.erin1 = (await purchase(world, 'erin', BASIC)).orderId;
    orders.erin2 = (await purchase(world, 'erin', PREMIUM)).orderId;
    await refund(world, orders.erin2, owner('erin')); // UPGRADE_REVERSED
    orders.dave = (await purchase(world, 'dave', PREMIUM)).orderId;
    await refund(world, orders.dave, owner('dave')); // revoked: nothing else backs it
    orders.hank1 = (await purchase(world, 'hank', PREMIUM)).orderId;
    orders.hank2 = (await purchase(world, 'hank', BASIC)).orderId;
    await refund(world, orders.hank2, owner('hank')); // DEQUEUED
    orders.bob1 = (await purchase(world, 'bob', EVENT, 'portone', 10_000)).orderId;
    await refund(world, orders.bob1, admin, 3_000); // the fund keeps 7,000
    orders.bob2 = (await purchase(world, 'bob', EVENT, 'toss', 5_000)).orderId;
    await refund(world, orders.bob2, owner('bob')); // a contribution wholly refunded
    orders.gina = (await purchase(world, 'gina', BASIC)).orderId;
    await refund(world, orders.gina, owner('gina'), 2_000); // partial: no entitlement changes
    const kate = await purchase(world, 'kate', BASIC);
    orders.frank = (await purchase(world, 'frank', BASIC)).orderId;
    at.beforeLateRefund = new Date(world.clock.now()).toISOString();
    await world.advance(5 * DAY);
    await refund(world, orders.frank, admin, 1_000); // after the owner's window: an admin may
    at.afterLateRefund = new Date(world.clock.now()).toISOString();
    world.toss.consoleCancel(kate.pgPaymentId, 3_000); // learnt by the 7-day re-check: PgCancelRecorded
    for (let month = 0; month < 6; month++) await world.advance(30 * DAY); // queued starts, expiries
    report = await auditWith(world.dataDir, {}, world.store);
  });
  afterAll(() => world.close());

  it('exercised every kind of subscription transition', async () => {
    const events = (
      await Promise.all(
        ['alice', 'erin', 'dave', 'hank', 'gina', 'kate'].map((u) => world.events(`subscription-${u}`)),
      )
    ).flat();
    const effects = new Set(events.map((e) => String(e.data.effect ?? e.type)));
    expect([...effects].sort()).toEqual(
      [
        'DEQUEUED',
        'EXTENDED',
        'QUEUED',
        'QueuedPeriodStarted',
        'STARTED',
        'SHORTENED',
        'SubscriptionExpired',
        'SubscriptionRevoked',
        'UPGRADED',
        'UPGRADE_REVERSED',
      ].sort(),
    );
  });

  it('holds every rule: no finding', () => {
    expect(report.findings).toEqual([]);
  });

  it('adds up the orders, payments, refunds and the event fund', () => {
    const prices = 9_900 * 8 + 19_900 * 4 + 10_000 + 5_000;
    const refunded = 19_900 * 2 + 9_900 + 3_000 + 5_000 + 2_000 + 1_000 + 3_000; // the last: kate's console cancel
    expect(report.totals).toMatchObject({
      orders: { placed: 14, paid: 14, expired: 0 },
      payments: {
        approved: 14,
        approvedAmount: prices,
        refundedAmount: refunded,
        netAmount: prices - refunded,
      },
      eventFund: { total: 7_000, contributions: 1 },
      subscriptions: { active: 0, inactive: 7 }, // all expired, dave's revoked
    });
  });

  it('--as-of before a later refund reports the earlier totals, and who was active then', async () => {
    const before = await auditWith(world.dataDir, { asOf: at.beforeLateRefund }, world.store);
    const after = await auditWith(world.dataDir, { asOf: at.afterLateRefund }, world.store);
    expect(before.asOf).toBe(at.beforeLateRefund);
    expect(before.totals.at).toBe(at.beforeLateRefund);
    expect(after.totals.payments.refundedAmount - before.totals.payments.refundedAmount).toBe(1_000);
    expect(report.totals.payments.refundedAmount - after.totals.payments.refundedAmount).toBe(3_000); // kate's, later
    expect(before.totals.subscriptions).toEqual({ active: 6, inactive: 1 }); // dave's was revoked
    expect(before.findings).toEqual([]);
    expect(before.events).toBe(report.events); // the chains were still read whole
  });

  it("--user narrows the totals to that user's orders, payments and subscription", async () => {
    const bob = await auditWith(world.dataDir, { userId: 'bob' }, world.store);
    expect(bob.scope).toEqual({ userId: 'bob' });
    expect(bob.totals).toMatchObject({
      orders: { placed: 2, paid: 2 },
      payments: { approvedAmount: 15_000, refundedAmount: 8_000 },
      eventFund: { total: 7_000, contributions: 1 },
      subscriptions: { active: 0, inactive: 0 },
    });
    const alice = await auditWith(world.dataDir, { userId: 'alice' }, world.store);
    expect(alice.totals).toMatchObject({
      orders: { placed: 4 },
      payments: { approvedAmount: 9_900 * 3 + 19_900, refundedAmount: 0 },
      eventFund: { total: 0, contributions: 0 },
      subscriptions: { active: 0, inactive: 1 },
    });
  });

  it("--order narrows the totals to that one order (and its owner's subscription)", async () => {
    const frank = await auditWith(world.dataDir, { orderId: orders.frank }, world.store);
    expect(frank.totals).toMatchObject({
      orders: { placed: 1, paid: 1 },
      payments: { approved: 1, approvedAmount: 9_900, refundedAmount: 1_000, netAmount: 8_900 },
      subscriptions: { active: 0, inactive: 1 },
    });
  });
});
