import { AuditEvents } from '../../application/audit/audit-events';
import { AuditReports, runAuditReport } from '../../application/audit/audit-reports';
import { recheckFeed } from '../../application/payment/payment-recheck.process';
import type { SealSigner } from '../../application/ports/seal-signer.port';
import type { Adapters } from './adapters';
import { projectionGroups } from './projection-groups';

/**
 * `GET /v1/audit/report`'s audits: over the service's own event store, with the seal key's
 * public half, the read models compared live in this process (the only place a memory store can
 * be compared), signed with the seal key. The fold's re-check feed schedules nothing: only the
 * service's own feed drives the re-check job.
 */
export function inProcessAuditReports(adapters: Adapters, signer: SealSigner): AuditReports {
  return new AuditReports(() =>
    runAuditReport({
      eventStore: adapters.eventStore,
      publicKeyPem: signer.publicKeyPem,
      signer,
      source: 'the service (in process)',
      readModels: adapters.readModels,
      projections: projectionGroups(recheckFeed()),
      clock: adapters.clock,
    }),
  );
}

export const auditEvents = (adapters: Adapters): AuditEvents =>
  new AuditEvents(adapters.eventStore, adapters.readModels);
