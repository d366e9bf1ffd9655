import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { canonicalJson } from '../../../application/event-sourcing/canonical-json';
import type { HashMismatch } from '../../../application/ports/event-store.port';
import { decodeHash, decodeId, decodeTime, type JsonKeys, type NameTable } from './sqlite-event-codec';
import type { EventRow } from './sqlite-event-schema';
import { workerFile } from '../../sqlite/worker-file';

/**
 * The text an event's hash covers (event-hash.ts: the canonical JSON of stream, revision,
 * type, data and metadata without the hash), built from the row as stored: the data is kept as
 * canonical JSON, so it goes in as it is, never parsed and written again. Equal to
 * `canonicalJson(content)` for every event the store wrote (tests/contract checks it).
 */
export function storedHashInput(
  row: EventRow,
  keys: JsonKeys,
  types: NameTable,
  canonicalActor: (json: string) => string,
): string {
  const correlationId = decodeId(row[6]);
  const causationId = row[7] === null ? correlationId : decodeId(row[7]);
  return (
    `{"data":${keys.decode(row[4])},"metadata":{"actor":${canonicalActor(row[8])},` +
    `"causationId":${JSON.stringify(causationId)},"correlationId":${JSON.stringify(correlationId)},` +
    `"eventId":${JSON.stringify(decodeId(row[5]))},"prevHash":${JSON.stringify(decodeHash(row[10]))},` +
    `"recordedAt":${JSON.stringify(decodeTime(row[9]))}},"revision":${row[2]},` +
    `"streamId":${JSON.stringify(row[1])},"type":${JSON.stringify(types.name(row[3]))}}`
  );
}

/** Actors repeat: each one's canonical JSON is made once. */
export function canonicalActors(): (json: string) => string {
  const cache = new Map<string, string>();
  return (json) => {
    let canonical = cache.get(json);
    if (canonical === undefined) {
      try {
        canonical = canonicalJson(JSON.parse(json));
      } catch {
        canonical = json;
      }
      if (cache.size > 100_000) cache.clear();
      cache.set(json, canonical);
    }
    return canonical;
  };
}

export interface HashCheckJob {
  file: string;
  /** Events after `from` up to `to` (global positions). */
  from: number;
  to: number;
}

export type HashCheckReply = { ok: true; mismatches: HashMismatch[] } | { ok: false; error: string };

/**
 * Every event's hash checked against its stored content up to `headPosition`, the log split in
 * ranges of positions across one worker thread per core: what the audit's hash check costs,
 * taken off its own thread. Returns the events whose hash does not match, in position order.
 */
export async function findHashMismatches(file: string, headPosition: number): Promise<HashMismatch[]> {
  const workers = Math.max(1, Math.min(availableParallelism(), 8));
  const step = Math.ceil(headPosition / workers);
  const jobs: HashCheckJob[] = [];
  for (let from = 0; from < headPosition; from += step)
    jobs.push({ file, from, to: Math.min(headPosition, from + step) });
  const results = await Promise.all(jobs.map(runJob));
  return results.flat();
}

function runJob(job: HashCheckJob): Promise<HashMismatch[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(__dirname, 'sqlite-hash-worker.js'), { workerData: job });
    let settled = false;
    worker.once('message', (reply: HashCheckReply) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve(reply.mismatches);
      else reject(new Error(`hash check failed: ${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`hash check worker exited (code ${code})`));
    });
  });
}
