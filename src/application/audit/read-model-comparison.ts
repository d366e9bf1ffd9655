import { canonicalJson } from '../event-sourcing/canonical-json';
import { type Projection, type ProjectionGroup } from '../event-sourcing/projection';
import type { EventStore } from '../ports/event-store.port';
import type { Doc, ReadModelStore } from '../ports/read-model-store.port';
import type { Finding } from './audit-finding';
import { differingFields } from './doc-diff';
import { ReadModelFold, type FoldedDoc } from './read-model-fold';

/** The checkpoint every group used before each had its own (the projector migrates from it). */
const LEGACY_CHECKPOINT = 'projections';
/** Reads of a group's documents retried while a live service moves its checkpoint meanwhile. */
const ATTEMPTS = 5;

/** One projection group as compared. */
export interface ReadModelGroupResult {
  name: string;
  /** The group's checkpoint in the stored read models: the position both sides were compared at. */
  position: number;
  /**
   * False when its checkpoint kept moving under the comparison (a busy service) or went back, or
   * when one of its projections threw on an event in the audit's fold.
   */
  compared: boolean;
  reason?: string;
  collections: string[];
  /** Documents the fold holds for the group (compared one by one with the stored ones). */
  documents: number;
  differences: number;
}

export interface ReadModelComparison {
  /** The stored read models' kind, as their status reports it (sqlite, mongodb, memory). */
  store: string;
  groups: ReadModelGroupResult[];
  documents: number;
  /** `read-model-differs`, by collection and document id. */
  findings: Finding[];
}

export interface CompareOptions {
  /** Events read per page (default 1,000). */
  pageSize?: number;
  onProgress?: (eventsRead: number, position: number, target: number) => void;
}

/**
 * Issue #10 point 4: the stored read models against the audit's own fold of the events through
 * the same projections (ReadModelFold). Each group of projections is compared at its own stored
 * checkpoint, so a read model still catching up (behind the audit's cut) is compared at where
 * it is, not reported as different. A store with snapshots reads each group's checkpoint and
 * documents at one moment; on another, a live service moving the checkpoint while the documents
 * are read makes the group be read again, and a rebuild switching it leaves it not compared. Every document the fold made is looked for in the
 * store (equal, differing by some fields, or missing), and every stored document left over is
 * extra.
 */
export async function compareReadModels(
  events: EventStore,
  stored: ReadModelStore,
  groups: ReadonlyArray<Projection | ProjectionGroup>,
  options: CompareOptions = {},
): Promise<ReadModelComparison> {
  const fold = new ReadModelFold(events, groups, options.pageSize);
  const checkpointOf = await checkpointReader(stored, fold.groups);
  const targets: Record<string, number> = {};
  for (const group of fold.groups) targets[group.name] = await checkpointOf(group.name);
  await fold.advance(targets, options.onProgress);

  const results: ReadModelGroupResult[] = [];
  const findings: Finding[] = [];
  for (const group of fold.groups) {
    const result = await compareGroup(fold, stored, group.name, checkpointOf);
    results.push(result.summary);
    findings.push(...result.findings);
  }
  return {
    store: (await stored.status()).kind,
    groups: results,
    documents: results.reduce((n, g) => n + g.documents, 0),
    findings,
  };
}

async function checkpointReader(
  stored: ReadModelStore,
  groups: readonly ProjectionGroup[],
): Promise<(group: string) => Promise<number>> {
  let legacy = 0;
  const positions = await Promise.all(groups.map((g) => stored.checkpoint(g.name)));
  if (positions.every((p) => p === 0)) legacy = await stored.checkpoint(LEGACY_CHECKPOINT);
  return async (group) => (await stored.checkpoint(group)) || legacy;
}

type GroupOutcome = { summary: ReadModelGroupResult; findings: Finding[] };

async function compareGroup(
  fold: ReadModelFold,
  stored: ReadModelStore,
  group: string,
  checkpointOf: (group: string) => Promise<number>,
): Promise<GroupOutcome> {
  let position = fold.positionOf(group);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const read = () => readGroup(fold, stored, group, checkpointOf, position);
    // A store with snapshots (SQLite) reads the checkpoint and the documents at one moment, so
    // a service writing meanwhile changes nothing; another (MongoDB) reads again until they held still.
    const outcome = await (stored.snapshot?.(read) ?? read());
    if ('summary' in outcome) return outcome;
    position = outcome.again;
  }
  return notCompared(fold, group, position, `its checkpoint moved on during ${ATTEMPTS} reads`);
}

/** One read of the group's documents at its checkpoint, or `again` (at what position) when they moved. */
async function readGroup(
  fold: ReadModelFold,
  stored: ReadModelStore,
  group: string,
  checkpointOf: (group: string) => Promise<number>,
  position: number,
): Promise<GroupOutcome | { again: number }> {
  const failure = fold.failureOf(group);
  if (failure !== undefined) return notCompared(fold, group, position, failure);
  const before = await checkpointOf(group);
  if (before < fold.positionOf(group)) {
    return notCompared(fold, group, before, 'its checkpoint went back (rebuilt) during the audit');
  }
  await fold.advance({ [group]: before });
  if (fold.failureOf(group) !== undefined) return { again: before };
  const collections = fold.collectionsOf(group);
  const findings: Finding[] = [];
  let documents = 0;
  try {
    for (const collection of collections) {
      documents += await compareCollection(fold.documents(collection), stored, collection, findings);
    }
  } catch (error) {
    // A rebuild switched and dropped the build being read ("no such table"): its checkpoint is
    // gone with it, and the next read says so. Any other failure is the audit's.
    if ((await checkpointOf(group)) !== before) return { again: before };
    throw error;
  }
  if ((await checkpointOf(group)) !== before) return { again: before }; // moved while read
  findings.sort(byDocument);
  return {
    summary: {
      name: group,
      position: before,
      compared: true,
      collections,
      documents,
      differences: findings.length,
    },
    findings,
  };
}

function notCompared(fold: ReadModelFold, group: string, position: number, reason: string): GroupOutcome {
  return {
    summary: {
      name: group,
      position,
      compared: false,
      reason,
      collections: fold.collectionsOf(group),
      documents: 0,
      differences: 0,
    },
    findings: [],
  };
}

/** Compares one collection; returns how many folded documents it holds. */
async function compareCollection(
  folded: ReadonlyMap<string, FoldedDoc>,
  stored: ReadModelStore,
  collection: string,
  findings: Finding[],
): Promise<number> {
  // Stored documents carry no id of their own through the port: match equal ones by content,
  // then look the rest up by id.
  const unmatched = new Map<string, Doc[]>();
  for (const doc of await stored.all(collection)) {
    const key = canonicalJson(doc);
    const same = unmatched.get(key);
    if (same) same.push(doc);
    else unmatched.set(key, [doc]);
  }
  const take = (doc: Doc): boolean => {
    const key = canonicalJson(doc);
    const same = unmatched.get(key);
    if (!same) return false;
    same.pop();
    if (same.length === 0) unmatched.delete(key);
    return true;
  };
  let documents = 0;
  for (const [id, { doc, by }] of folded) {
    const at = { streamId: by.streamId, revision: by.revision, globalPosition: by.globalPosition };
    const where = { kind: 'read-model-differs' as const, collection, documentId: id };
    const changedBy = `last changed by ${by.streamId} revision ${by.revision} at position ${by.globalPosition}`;
    if (doc === null) {
      const present = await stored.get(collection, id);
      if (present === null) continue;
      take(present);
      findings.push({
        ...at,
        ...where,
        fields: ['(document)'],
        detail: `${collection}/${id} is stored, but the events deleted it (${changedBy})`,
      });
      continue;
    }
    documents++;
    if (take(doc)) continue;
    const actual = await stored.get(collection, id);
    if (actual === null) {
      findings.push({
        ...at,
        ...where,
        fields: ['(document)'],
        detail: `${collection}/${id} is missing from the read models (${changedBy})`,
      });
      continue;
    }
    take(actual);
    const fields = differingFields(doc, actual);
    findings.push({
      ...at,
      ...where,
      fields,
      detail: `${collection}/${id}: ${fields.join(', ')} differ from the fold of the events (${changedBy})`,
    });
  }
  for (const docs of unmatched.values()) {
    for (const doc of docs) {
      const id = guessId(doc);
      findings.push({
        kind: 'read-model-differs',
        streamId: '',
        revision: null,
        globalPosition: null,
        collection,
        documentId: id,
        fields: ['(document)'],
        detail: `${collection}/${id} is stored, but no event made it`,
      });
    }
  }
  return documents;
}

/** An extra document's id, from the id fields documents carry. */
function guessId(doc: Doc): string {
  for (const field of ['id', 'orderId', 'userId']) {
    if (typeof doc[field] === 'string') return doc[field];
  }
  return '(unknown)';
}

const byDocument = (a: Finding, b: Finding): number =>
  compareText(a.collection ?? '', b.collection ?? '') ||
  compareText(a.documentId ?? '', b.documentId ?? '') ||
  compareText(a.detail, b.detail);

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
