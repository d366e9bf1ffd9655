import { auditHistory } from '../../../src/application/audit/history-audit';
import { verifyReport } from '../../../src/application/audit/report-digest';
import { ORDERS } from '../../../src/application/order/order-read-model';
import { BASIC, purchase } from '../support/purchases';
import { startWorld, type ProcessWorld } from '../support/process-harness';

/** GET /v1/audit/report's work: an audit in the service, over its live memory read models. */
describe("the service's own audit report", () => {
  let world: ProcessWorld;
  let orderId: string;
  beforeAll(async () => {
    world = await startWorld();
    orderId = (await purchase(world, 'fay', BASIC)).orderId;
    await world.app.projector.catchUp();
  });
  afterAll(() => world.close());

  it('is signed with the seal key and clean while the live read models match the events', async () => {
    const report = await world.app.auditReports.report({ fresh: true });
    expect(report.findings).toEqual([]);
    expect(report.run.readModels).toMatchObject({ compared: true, store: 'memory' });
    expect(report.keyId).toBe(world.app.sealer.keyId);
    expect(verifyReport(JSON.parse(JSON.stringify(report)), world.app.sealer.publicKeyPem).valid).toBe(true);
  });

  it('lets requests in between pages of the history pass (the embedded store reads without a turn)', async () => {
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const head = await world.app.eventStore.headPosition();
    await auditHistory(world.app.eventStore, { publicKeyPem: world.app.sealer.publicKeyPem, pageSize: 1 });
    counting = false;
    // One page per event: the event loop turned at least once per page.
    expect(turns).toBeGreaterThanOrEqual(head - 1);
  });

  it('finds a document changed in the memory read models, which only an in-process audit can see', async () => {
    const stored = (await world.app.readModels.get<Record<string, unknown>>(ORDERS, orderId))!;
    await world.app.readModels.commit(
      [{ collection: ORDERS, id: orderId, doc: { ...stored, planId: 2 } }],
      [],
    );
    try {
      const report = await world.app.auditReports.report({ fresh: true });
      expect(report.findings).toEqual([
        expect.objectContaining({
          kind: 'read-model-differs',
          collection: ORDERS,
          documentId: orderId,
          fields: ['planId'],
        }),
      ]);
      expect(report.findingsByKind).toEqual({ 'read-model-differs': 1 });
    } finally {
      await world.app.readModels.commit([{ collection: ORDERS, id: orderId, doc: stored }], []);
    }
  });
});
