import { readFileSync } from 'node:fs';
import path from 'node:path';
import { merkleRoot } from '../../../src/application/audit/merkle-root';
import { SEAL_STREAM, sealSignatureValid, type SealData } from '../../../src/application/audit/seal';
import { BASIC, EVENT, purchase } from '../support/purchases';
import { MINUTE, SECOND, startWorld, type ProcessWorld } from '../support/process-harness';

const sealsOf = async (world: ProcessWorld): Promise<SealData[]> =>
  (await world.events(SEAL_STREAM)).map((event) => event.data as SealData);

/** Every stream's head, straight from the store: what a seal's Merkle root must cover. */
async function headsAt(world: ProcessWorld, position: number) {
  const heads = new Map<string, { streamId: string; count: number; head: string }>();
  for (const event of await world.store.readAll(0, 10_000)) {
    if (event.globalPosition > position || event.streamId === SEAL_STREAM) continue;
    heads.set(event.streamId, {
      streamId: event.streamId,
      count: event.revision + 1,
      head: event.metadata.hash,
    });
  }
  return [...heads.values()];
}

/** A background turn: the sealer's after-append trigger runs on setImmediate. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the sealer (A2): signed seals of the history', () => {
  let world: ProcessWorld;
  afterEach(() => world.close());

  it('seals once the configured number of events is unsealed, signed by the sandbox key', async () => {
    world = await startWorld(undefined, { env: { AUDIT_SEAL_EVERY_EVENTS: '10' } });
    await purchase(world, 'alice', BASIC);
    await purchase(world, 'bob', EVENT, 'toss', 5_000);
    await settle();

    const seals = await sealsOf(world);
    expect(seals.length).toBeGreaterThanOrEqual(1);
    const [first] = seals;
    expect(first).toMatchObject({ sequence: 0, previousSeal: '' });
    expect(first.eventCount).toBeGreaterThanOrEqual(10);
    const publicKey = readFileSync(path.join(world.dataDir, 'audit-public-key.pem'), 'utf8');
    expect(publicKey).toBe(world.app.sealer.publicKeyPem);
    expect(sealSignatureValid(first, publicKey)).toBe(true);
    expect(first.merkleRoot).toBe(merkleRoot(await headsAt(world, first.globalPosition)));
    expect(first.streams.map((s) => s.streamId)).toEqual(
      (await headsAt(world, first.globalPosition)).map((h) => h.streamId).sort(),
    );
  });

  it('seals at most every interval, only when something changed, each seal linked to the last', async () => {
    world = await startWorld(undefined, { env: { AUDIT_SEAL_INTERVAL_SECONDS: '60' } });
    await purchase(world, 'alice', BASIC);
    await world.advance(SECOND); // the first seal falls due at once
    expect(await sealsOf(world)).toHaveLength(1);

    await purchase(world, 'bob', BASIC);
    await world.advance(30 * SECOND);
    expect(await sealsOf(world)).toHaveLength(1); // not before the interval
    await world.advance(30 * SECOND);
    const seals = await sealsOf(world);
    expect(seals).toHaveLength(2);
    const [first] = await world.events(SEAL_STREAM);
    expect(seals[1].previousSeal).toBe(first.metadata.hash);
    // only bob's streams changed since the first seal
    expect(seals[1].streams.every((s) => !seals[0].streams.some((t) => t.streamId === s.streamId))).toBe(
      true,
    );

    await world.advance(10 * MINUTE);
    expect(await sealsOf(world)).toHaveLength(2); // nothing new, nothing sealed
  });

  it('seals what is left on a clean shutdown, and resumes from the seals after a restart', async () => {
    world = await startWorld();
    await purchase(world, 'alice', BASIC);
    await world.restart();
    const [shutdown] = await sealsOf(world);
    expect(shutdown.globalPosition).toBe((await world.store.headPosition()) - 1); // all but itself

    await purchase(world, 'bob', BASIC);
    await world.restart();
    const seals = await sealsOf(world);
    expect(seals.map((s) => s.sequence)).toEqual([0, 1]);
    expect(seals[1].streamCount).toBe(shutdown.streamCount + seals[1].streams.length);
    expect(seals[1].merkleRoot).toBe(merkleRoot(await headsAt(world, seals[1].globalPosition)));
  });
});
