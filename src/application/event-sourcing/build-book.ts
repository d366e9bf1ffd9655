import type { ReadModelStore } from '../ports/read-model-store.port';
import type { BatchWriter } from './batch-writer';
import type { ProjectionGroup, ProjectionWriter } from './projection';
import {
  BUILDS_COLLECTION,
  buildCheckpoint,
  buildNames,
  codeVersions,
  physicalCollection,
  sameVersions,
  type BuildRecord,
  type GroupBuilds,
  type LiveCollections,
} from './projection-builds';

/** A build being made beside the live one, and how far it has folded. */
export interface Building {
  record: BuildRecord;
  position: number;
  /** Caught up, but its counts disagreed with the live build's: not switched (reported in statuses()). */
  disagreement: string | null;
}

/** What a rebuild has done so far (the CLI's progress bar). */
export interface RebuildStatus {
  group: string;
  build: number;
  position: number;
  /** Why it was not switched although caught up (its counts against the live build's). */
  disagreement: string | null;
}

export class UnknownProjectionError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`no projection or projection group named ${names.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/**
 * The projector's book of builds (projection-builds.ts): each group's record as stored, the
 * builds under way beside the live ones, and which build serves each collection. Every change
 * of a record is committed before it is acted on, so a crash leaves a record the next start
 * can finish: a build to resume from its checkpoint, retired collections to drop.
 */
export class BuildBook {
  private readonly records = new Map<string, GroupBuilds>();
  /** The builds under way, by group. */
  readonly building = new Map<string, Building>();

  constructor(
    private readonly readModels: ReadModelStore,
    readonly live: LiveCollections,
  ) {}

  /** Reads the group's record and points its collections at its live build; its checkpoint's name. */
  async loadRecord(group: ProjectionGroup): Promise<string> {
    const record = await this.readModels.get<GroupBuilds>(BUILDS_COLLECTION, group.name);
    if (record !== null) this.records.set(group.name, record);
    const live = this.liveBuild(group);
    this.live.setGroup(group.name, live);
    return buildCheckpoint(group.name, live.number);
  }

  statuses(): RebuildStatus[] {
    return [...this.building].map(([group, b]) => ({
      group,
      build: b.record.number,
      position: b.position,
      disagreement: b.disagreement,
    }));
  }

  /** Starts, resumes or drops the group's build beside the live one, as the code's versions need. */
  async loadBuilds(group: ProjectionGroup, livePosition: number): Promise<void> {
    const record = this.recordOf(group);
    const code = codeVersions(group.projections);
    await this.dropRetired(record);
    if (!sameVersions(record.live.versions, code) && livePosition === 0) {
      // Nothing built yet: the first build simply folds the code's versions.
      await this.saveRecord({ ...this.recordOf(group), live: { ...record.live, versions: code } });
      return;
    }
    const { building } = this.recordOf(group);
    const wanted = !sameVersions(record.live.versions, code);
    if (building !== null && sameVersions(building.versions, code)) {
      const position = await this.readModels.checkpoint(buildCheckpoint(group.name, building.number));
      this.building.set(group.name, { record: building, position, disagreement: null });
    } else if (building !== null || wanted) {
      // A build of versions the code no longer has is dropped; a new one starts if needed.
      if (wanted) await this.startBuild(group);
      else {
        const next = {
          ...this.recordOf(group),
          building: null,
          retired: [...this.recordOf(group).retired, building!],
        };
        await this.saveRecord(next);
        await this.dropRetired(next);
      }
    }
  }

  /**
   * A build that has reached the live one's position replaces it when every collection both
   * builds write holds as many documents in each (the same events folded by the same rules give
   * the same documents; a version that keeps a different set of documents names a new
   * collection). The switch is one commit of the group's record; the old build is dropped after.
   */
  async switchIfAgreed(name: string, b: Building): Promise<void> {
    const record = this.records.get(name)!;
    const differences: string[] = [];
    for (const collection of b.record.collections) {
      if (!record.live.collections.includes(collection)) continue;
      const old = await this.readModels.count(physicalCollection(collection, record.live.number));
      const built = await this.readModels.count(physicalCollection(collection, b.record.number));
      if (old !== built) differences.push(`${collection}: ${built} documents, the live build has ${old}`);
    }
    if (differences.length > 0) {
      // The live build keeps serving; the operator sees why in `rebuilds` (and the CLI).
      b.disagreement = differences.join('; ');
      return;
    }
    const switched: GroupBuilds = {
      group: name,
      live: b.record,
      building: null,
      retired: [...record.retired, record.live],
    };
    await this.saveRecord(switched);
    this.building.delete(name);
    this.live.set(record.live.collections, 0);
    this.live.setGroup(name, b.record);
    await this.dropRetired(switched);
  }

  async startBuild(group: ProjectionGroup): Promise<void> {
    const record = this.recordOf(group);
    const taken = [record.live, ...(record.building ? [record.building] : []), ...record.retired];
    const build: BuildRecord = {
      number: Math.max(...taken.map((b) => b.number)) + 1,
      versions: codeVersions(group.projections),
      collections: groupCollections(group),
    };
    const next: GroupBuilds = {
      ...record,
      building: build,
      retired: record.building ? [...record.retired, record.building] : record.retired,
    };
    await this.saveRecord(next);
    await this.dropRetired(next);
    this.building.set(group.name, { record: build, position: 0, disagreement: null });
  }

  private async saveRecord(record: GroupBuilds): Promise<void> {
    await this.readModels.commit([{ collection: BUILDS_COLLECTION, id: record.group, doc: record }], []);
    this.records.set(record.group, record);
  }

  private async dropRetired(record: GroupBuilds): Promise<void> {
    if (record.retired.length === 0) return;
    const names = record.retired.map((b) => buildNames(record.group, b));
    await this.readModels.drop(
      names.flatMap((n) => n.collections),
      names.map((n) => n.checkpoint),
    );
    await this.saveRecord({ ...record, retired: [] });
  }

  private recordOf(group: ProjectionGroup): GroupBuilds {
    return (
      this.records.get(group.name) ?? {
        group: group.name,
        live: {
          number: 0,
          versions: Object.fromEntries(group.projections.map((p) => [p.name, 1])),
          collections: groupCollections(group),
        },
        building: null,
        retired: [],
      }
    );
  }

  liveBuild(group: ProjectionGroup): BuildRecord {
    return this.recordOf(group).live;
  }

  /** The batch's writes under the live builds' names. */
  liveView(writer: BatchWriter): ProjectionWriter {
    return this.renamed(writer, (c) => this.live.physical(c));
  }

  /** The batch's writes into a build's own collections (others read as they are live). */
  buildView(writer: BatchWriter, build: BuildRecord): ProjectionWriter {
    const own = new Set(build.collections);
    return this.renamed(writer, (c) =>
      own.has(c) ? physicalCollection(c, build.number) : this.live.physical(c),
    );
  }

  private renamed(writer: BatchWriter, name: (collection: string) => string): ProjectionWriter {
    return {
      get: (collection, id) => writer.get(name(collection), id),
      put: (collection, id, doc) => writer.put(name(collection), id, doc),
      delete: (collection, id) => writer.delete(name(collection), id),
    };
  }
}

/** Every collection a group's projections write. */
function groupCollections(group: ProjectionGroup): string[] {
  return [...new Set(group.projections.flatMap((p) => p.collections))];
}
