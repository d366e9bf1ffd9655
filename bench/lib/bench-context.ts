import { ApiClient } from './api-client';
import type { CpuMeters } from './load';
import type { Row } from './report';
import type { ServiceProcess, Settled } from './service-process';

/** What every HTTP benchmark gets: the running child service and a setup client for it. */
export interface BenchContext {
  url: string;
  api: ApiClient;
  /** CPU seconds the service and the PG sandbox processes have used so far (for CPU per request). */
  cpu: CpuMeters;
  /**
   * Resolves once the PG sandbox and then the service are idle again (webhooks and jobs done);
   * the CPU it reports is the service's.
   */
  settle(): Promise<Settled>;
  /** Progress lines (stderr), so stdout stays the report. */
  log(message: string): void;
}

/** A benchmark's rows for the table and its raw figures for latest.json. */
export interface BenchOutcome {
  rows: Row[];
  details: Record<string, unknown>;
  /** Orders answered 202 PENDING, whose stored events the run reports afterwards. */
  pendingOrderIds?: string[];
}

/** Seconds since `start` (a performance.now() value), for setup timings. */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 10) / 100;
}

/** The context of the HTTP benchmarks against a running service and its PG sandbox. */
export function benchContext(service: ServiceProcess, pg: ServiceProcess): BenchContext {
  return {
    url: service.url,
    api: new ApiClient(service.url, pg.url),
    cpu: { service: service.cpuSeconds, pg: pg.cpuSeconds },
    // The PG's webhooks first, then what they cause in the service; the service's CPU throughout.
    settle: async (): Promise<Settled> => {
      const started = Date.now();
      const cpuBefore = service.cpuSeconds();
      await pg.settle();
      const last = await service.settle();
      return {
        seconds: (Date.now() - started) / 1000,
        cpuSeconds: service.cpuSeconds() - cpuBefore,
        quiet: last.quiet,
      };
    },
    log: (message) => console.error(`  … ${message}`),
  };
}
