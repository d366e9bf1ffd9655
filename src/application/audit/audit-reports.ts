import { type Projection, type ProjectionGroup } from '../event-sourcing/projection';
import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import type { SealSigner } from '../ports/seal-signer.port';
import { signedReport, type ReadModelsNotCompared, type SignedAuditReport } from './audit-report';
import { auditHistory, type AuditReport } from './history-audit';
import { compareReadModels } from './read-model-comparison';

/** Progress of the two passes: the history audit's, then the read-model fold's. */
export interface ReportProgress {
  history?: (eventsRead: number, headPosition: number, position: number) => void;
  readModels?: (eventsRead: number, position: number, target: number) => void;
}

export interface ReportRunInputs {
  eventStore: EventStore;
  publicKeyPem: string;
  /** Signs the report; null leaves it unsigned. */
  signer: SealSigner | null;
  /** Where the history is read from, for `run.source`. */
  source: string;
  /** The read models to compare, or why there are none to compare. */
  readModels: ReadModelStore | ReadModelsNotCompared;
  /** The service's projections (projection-groups.ts), as the fold must run them. */
  projections: ReadonlyArray<Projection | ProjectionGroup>;
  clock: Clock;
  /** The history audit (default: auditHistory over `eventStore`), e.g. with the CLI's options. */
  history?: (onProgress?: ReportProgress['history']) => Promise<AuditReport>;
  progress?: ReportProgress;
}

/** One full audit: the history, the read models at their checkpoints, the signed report. */
export async function runAuditReport(inputs: ReportRunInputs): Promise<SignedAuditReport> {
  const started = performance.now();
  const generatedAt = new Date(inputs.clock.now()).toISOString();
  const history = await (inputs.history
    ? inputs.history(inputs.progress?.history)
    : auditHistory(inputs.eventStore, {
        publicKeyPem: inputs.publicKeyPem,
        onProgress: inputs.progress?.history,
      }));
  const readModels =
    'compared' in inputs.readModels
      ? inputs.readModels
      : await compareReadModels(inputs.eventStore, inputs.readModels, inputs.projections, {
          onProgress: inputs.progress?.readModels,
        });
  return signedReport({
    history,
    readModels,
    signer: inputs.signer,
    run: { generatedAt, source: inputs.source, durationMs: Math.round(performance.now() - started) },
  });
}

/**
 * The service's audit reports for `GET /v1/audit/report` (A4): the latest one it made, or a new
 * one when there is none or one is asked for. Audits run one at a time: a request arriving
 * while one runs gets that one's report rather than starting another.
 */
export class AuditReports {
  private latestReport: SignedAuditReport | null = null;
  private running: Promise<SignedAuditReport> | null = null;

  constructor(private readonly run: () => Promise<SignedAuditReport>) {}

  /** The latest report, if any has been made. */
  get latest(): SignedAuditReport | null {
    return this.latestReport;
  }

  /** The latest report, or a new one if `fresh` or there is none yet. */
  report(options: { fresh?: boolean } = {}): Promise<SignedAuditReport> {
    if (this.running) return this.running;
    if (this.latestReport && !options.fresh) return Promise.resolve(this.latestReport);
    const run = this.run().then(
      (report) => {
        this.latestReport = report;
        this.running = null;
        return report;
      },
      (error: unknown) => {
        this.running = null;
        throw error;
      },
    );
    this.running = run;
    return run;
  }
}
