import fs from 'node:fs';
import { loadSettings } from '../../../src/infrastructure/config/settings';
import { lockDataDir, type DataDirLock } from '../../../src/infrastructure/composition/data-dir-lock';
import { rebuildProjections } from '../../../src/infrastructure/composition/projection-rebuild';
import {
  REQUEST_FILE_PREFIX,
  RebuildRequests,
} from '../../../src/infrastructure/composition/rebuild-requests';
import { startWorld, type ProcessWorld } from '../support/process-harness';
import { BASIC, PREMIUM, purchase } from '../support/purchases';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm run projections:rebuild` against a running service, both sides driven by the test. */
describe('projections:rebuild through DATA_DIR (review: the command could wait for ever)', () => {
  let world: ProcessWorld;
  let lock: DataDirLock;
  let requests: RebuildRequests;
  beforeEach(async () => {
    world = await startWorld(undefined, { readModels: 'sqlite', rebuildInBackground: false });
    await purchase(world, 'ana', BASIC);
    await purchase(world, 'ben', PREMIUM);
    await world.app.projector.catchUp();
    // The "service" holds the lock, so the command asks it through DATA_DIR.
    lock = lockDataDir(world.dir);
    requests = new RebuildRequests(world.dir, world.app.projector, world.app.eventStore, () => undefined);
  });
  afterEach(async () => {
    lock.release();
    await world.close();
  });

  const ask = (names: string[], staleAfterMs?: number) =>
    rebuildProjections(loadSettings({ DATA_DIR: world.dir }), names, { pollMs: 5, staleAfterMs });

  async function requestWritten(): Promise<void> {
    while (!fs.readdirSync(world.dir).some((name) => name.startsWith(REQUEST_FILE_PREFIX))) await pause(5);
  }

  it('a request that comes while another is under way joins it: both commands hear their outcome', async () => {
    const first = ask(['orders']);
    await requestWritten();
    await requests.tick(); // takes the first request
    const second = ask(['subscriptions']);
    await requestWritten();
    await requests.tick(); // takes the second one while the first is under way

    let settled = 0;
    void Promise.allSettled([first, second]).then(() => (settled = 2));
    while (settled < 2) {
      await world.app.projector.rebuildStep();
      await requests.tick();
      await pause(5);
    }
    await expect(first).resolves.toEqual({ groups: ['orders'], by: 'service', disagreements: [] });
    await expect(second).resolves.toEqual({ groups: ['subscriptions'], by: 'service', disagreements: [] });
    expect(world.app.projector.rebuilds).toEqual([]);
  });

  it('a refused request while another is under way tells its command why', async () => {
    const first = ask(['orders']);
    await requestWritten();
    await requests.tick();
    const refused = ask(['no-such-projection']);
    await requestWritten();
    await requests.tick();
    await expect(refused).rejects.toThrow('no projection or projection group named no-such-projection');

    while (world.app.projector.rebuilds.length > 0) await world.app.projector.rebuildStep();
    await requests.tick();
    await expect(first).resolves.toEqual({ groups: ['orders'], by: 'service', disagreements: [] });
  });

  it('the command gives up when the service stops reporting on a rebuild it took (it died mid-rebuild)', async () => {
    const asked = ask(['orders'], 200);
    await requestWritten();
    await requests.tick(); // took it and reported once, then never again
    await expect(asked).rejects.toThrow(/stopped reporting on the rebuild \(no update for 0\.2 s\)/);
  });
});
