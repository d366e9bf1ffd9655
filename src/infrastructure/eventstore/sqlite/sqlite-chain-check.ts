import { Worker } from 'node:worker_threads';
import type { ChainAuditReport } from '../../../application/audit/chain-audit-report';
import { workerFile } from '../../sqlite/worker-file';

export interface ChainCheckJob {
  file: string;
  headPosition: number;
  publicKeyPem: string;
}

export type ChainCheckReply = { ok: true; report: ChainAuditReport } | { ok: false; error: string };

/**
 * The audit's chain and seal checks (ChainAudit) over the log up to `headPosition`, on a worker
 * thread with its own read-only connection, reading only each event's place and hashes: the
 * audit's rules read the rest on the caller's thread meanwhile.
 */
export function auditChains(job: ChainCheckJob): Promise<ChainAuditReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(__dirname, 'sqlite-chain-worker.js'), { workerData: job });
    let settled = false;
    worker.once('message', (reply: ChainCheckReply) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve(reply.report);
      else reject(new Error(`chain check failed: ${reply.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`chain check worker exited (code ${code})`));
    });
  });
}
