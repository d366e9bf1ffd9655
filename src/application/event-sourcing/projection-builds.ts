import type { Doc, ReadModelStore } from '../ports/read-model-store.port';
import type { Projection } from './projection';

/**
 * Builds of a projection group. Build 0 is the one every store started with: its collections
 * and checkpoint have the plain names. Each later build (a new version, or a forced rebuild) has
 * its own number, collections named `<collection>_b<number>` and checkpoint `<group>@<number>`,
 * so it is made beside the live one. The record of a group's builds is a document of the
 * `projection_builds` collection, committed with the builds' own writes.
 */
export const BUILDS_COLLECTION = 'projection_builds';

export interface BuildRecord {
  number: number;
  /** Each projection's version, by name, as this build folds it. */
  versions: Record<string, number>;
  /** The logical collections it writes. */
  collections: string[];
}

export interface GroupBuilds extends Doc {
  group: string;
  live: BuildRecord;
  /** The build being made beside the live one, if any. */
  building: BuildRecord | null;
  /** Builds switched away from, whose collections and checkpoint are still to drop. */
  retired: BuildRecord[];
}

export const physicalCollection = (collection: string, build: number): string =>
  build === 0 ? collection : `${collection}_b${build}`;

export const buildCheckpoint = (group: string, build: number): string =>
  build === 0 ? group : `${group}@${build}`;

/** The build's collections and checkpoint, as stored. */
export function buildNames(group: string, build: BuildRecord): { collections: string[]; checkpoint: string } {
  return {
    collections: build.collections.map((c) => physicalCollection(c, build.number)),
    checkpoint: buildCheckpoint(group, build.number),
  };
}

export function codeVersions(projections: readonly Projection[]): Record<string, number> {
  return Object.fromEntries(projections.map((p) => [p.name, p.version]));
}

export function sameVersions(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Which physical collection serves each logical one now: every read outside the projector goes
 * through this map (LiveReadModelStore), and the projector changes it at a switch.
 */
export class LiveCollections {
  private readonly names = new Map<string, string>();
  private readonly checkpoints = new Map<string, string>();

  physical(collection: string): string {
    return this.names.get(collection) ?? collection;
  }

  /** A group's checkpoint, by the group's name: its live build's. */
  checkpoint(group: string): string {
    return this.checkpoints.get(group) ?? group;
  }

  set(collections: readonly string[], build: number): void {
    for (const collection of collections) {
      if (build === 0) this.names.delete(collection);
      else this.names.set(collection, physicalCollection(collection, build));
    }
  }

  /** The group's live build: its collections and checkpoint. */
  setGroup(group: string, build: BuildRecord): void {
    this.set(build.collections, build.number);
    if (build.number === 0) this.checkpoints.delete(group);
    else this.checkpoints.set(group, buildCheckpoint(group, build.number));
  }
}

/**
 * The live builds as recorded in a store, for a reader that has no projector of its own (the
 * auditor's comparison): wrap the store in a LiveReadModelStore with this. Into `live` when given
 * (read again, it follows a switch made since).
 */
export async function recordedLiveCollections(
  store: ReadModelStore,
  live = new LiveCollections(),
): Promise<LiveCollections> {
  for (const record of await store.all<GroupBuilds>(BUILDS_COLLECTION))
    live.setGroup(record.group, record.live);
  return live;
}
