import { AuditEvents, type AuditEventView } from '../../../src/application/audit/audit-events';
import type { EventStore, RecordedEvent } from '../../../src/application/ports/event-store.port';
import { DelegatingEventStore } from '../../../src/infrastructure/eventstore/delegating-event-store';
import { BASIC, EVENT, purchase, refund } from '../support/purchases';
import { DAY, startWorld, type ProcessWorld } from '../support/process-harness';

/** The event store, remembering which streams were read whole. */
class CountingEventStore extends DelegatingEventStore {
  readonly read: string[] = [];
  override readStream(streamId: string): Promise<RecordedEvent[]> {
    this.read.push(streamId);
    return super.readStream(streamId);
  }
}

/** Every page of the user's history, `limit` at a time, and the streams each page read. */
async function allPages(audit: AuditEvents, store: CountingEventStore, userId: string, limit: number) {
  const items: AuditEventView[] = [];
  const reads: string[][] = [];
  /** The position each page started after (the previous page's last event). */
  const after: number[] = [];
  let cursor: string | undefined;
  do {
    store.read.length = 0;
    after.push(items[items.length - 1]?.globalPosition ?? 0);
    const page = await audit.ofUser(userId, limit, cursor);
    reads.push([...store.read]);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return { items, reads, after };
}

/** GET /v1/audit/users/:userId/events (review: every page read the user's whole history again). */
describe('a user’s audit events, page by page', () => {
  let world: ProcessWorld;
  let orders: string[];
  beforeAll(async () => {
    world = await startWorld();
    orders = [];
    for (let i = 0; i < 4; i++) orders.push((await purchase(world, 'hana', BASIC)).orderId);
    orders.push((await purchase(world, 'hana', EVENT, 'portone', 5_000)).orderId);
    await purchase(world, 'ivan', BASIC);
    await world.advance(DAY);
    await refund(world, orders[0]!, { userId: 'ops', role: 'admin' }, 2_000);
    await world.app.projector.catchUp();
  });
  afterAll(() => world.close());

  const auditOver = (store: EventStore) => new AuditEvents(store, world.app.readModels);

  it('pages to the same events as one page, and a later page reads no stream that ended before its cursor', async () => {
    const store = new CountingEventStore(world.store);
    const audit = auditOver(store);
    const whole = await audit.ofUser('hana', 100);
    expect(whole.nextCursor).toBeNull();
    const paged = await allPages(audit, store, 'hana', 3);
    expect(paged.items).toEqual(whole.items);
    expect(paged.reads.length).toBeGreaterThan(3);

    // The second order's events all come before the last page: that page reads none of its streams.
    const lastPageAfter = paged.after[paged.after.length - 1]!;
    const secondOrderEnds = Math.max(
      ...whole.items.filter((e) => e.streamId.endsWith(orders[1]!)).map((e) => e.globalPosition),
    );
    expect(secondOrderEnds).toBeLessThanOrEqual(lastPageAfter);
    const lastPageReads = paged.reads[paged.reads.length - 1]!;
    expect(lastPageReads.filter((streamId) => streamId.endsWith(orders[1]!))).toEqual([]);
    // The refund came last: the first order's payment stream is still read.
    expect(lastPageReads).toContain(`payment-${orders[0]}`);
  });

  it('without readLast (EventStoreDB), pages to the same events, reading every stream', async () => {
    const store = new CountingEventStore(world.store);
    Object.defineProperty(store, 'readLast', { value: undefined });
    const paged = await allPages(auditOver(store), store, 'hana', 4);
    expect(paged.items).toEqual((await auditOver(world.store).ofUser('hana', 100)).items);
    expect(paged.reads[paged.reads.length - 1]).toContain(`order-${orders[1]}`);
  });
});
