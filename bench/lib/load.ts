/**
 * autocannon, run in this process against the child service, with the figures the benches
 * report. Two corrections to autocannon's own summary:
 * - The wall time is measured from start to the last response: with `amount`, autocannon only
 *   notices the end at its next sampling tick, which would add up to a second of idle time.
 * - Latencies are raw (`ignoreCoordinatedOmission`): with a rate, autocannon 8 "corrects" every
 *   sample with an expected interval of ceil(1 / per-connection rate) = 1 ms, which invents
 *   samples and pulls the percentiles down.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx responses per second of wall time. */
  perSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  /** Service CPU per 2xx response and the service's share of one core while measured. */
  service: { cpuMsPerRequest: number; coreUtilisation: number } | null;
  /** The PG sandbox process's share of one core while measured (null when not metered). */
  pgCoreUtilisation: number | null;
  /** This process's (the load generator's) share of one core while measured. */
  loadGeneratorCoreUtilisation: number;
}

/** When each measured run happened (epoch ms), to cut a service CPU profile to it. */
export const loadWindows: Array<{ title: string; startMs: number; endMs: number }> = [];

/** CPU seconds each process has used so far, sampled before and after a run. */
export interface CpuMeters {
  service(): number;
  pg?(): number;
}

export function runLoad(options: autocannon.Options, meters?: CpuMeters): Promise<LoadResult> {
  return runLoadGroup([options], 0, meters);
}

/**
 * Several autocannon instances as one measurement, instance i started `staggerMs * i` later;
 * latencies and counts are pooled. With a rate, autocannon refills each connection's quota at
 * the same instant every second, so one instance offers its load as a burst per second;
 * staggered one-connection instances spread the same rate over the second instead.
 */
export function runLoadGroup(
  optionsList: autocannon.Options[],
  staggerMs: number,
  meters?: CpuMeters,
): Promise<LoadResult> {
  const cpuBefore = meters?.service() ?? Number.NaN;
  const pgCpuBefore = meters?.pg?.() ?? Number.NaN;
  const ownCpu = process.cpuUsage();
  const latencies: number[] = [];
  const started = Date.now();
  let lastResponse = 0;
  let ok2xx = 0;
  let responses = 0;
  const onResponse = (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    responses++;
    lastResponse = Date.now();
    if (statusCode >= 200 && statusCode < 300) {
      ok2xx++;
      latencies.push(responseTime);
    }
  };
  const runOne = (options: autocannon.Options, delayMs: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      setTimeout(() => {
        const rated = options.overallRate !== undefined || options.connectionRate !== undefined;
        const instance = autocannon({ ...options, ignoreCoordinatedOmission: rated }, (error, result) =>
          error ? reject(error) : resolve(result),
        );
        instance.on('response', onResponse);
      }, delayMs);
    });

  return Promise.all(optionsList.map((options, i) => runOne(options, i * staggerMs))).then((results) => {
    const end = lastResponse || Date.now();
    loadWindows.push({ title: optionsList[0]?.title ?? 'load', startMs: started, endMs: end });
    const serviceCpuSeconds = (meters?.service() ?? Number.NaN) - cpuBefore;
    const pgCpuSeconds = (meters?.pg?.() ?? Number.NaN) - pgCpuBefore;
    const own = process.cpuUsage(ownCpu);
    const seconds = Math.max(1e-3, (end - started) / 1000);
    latencies.sort((a, b) => a - b);
    const statusCodes: Record<string, number> = {};
    for (const result of results) {
      for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
        statusCodes[code] = (statusCodes[code] ?? 0) + (stat.count ?? 0);
      }
    }
    const sum = (pick: (r: autocannon.Result) => number) => results.reduce((total, r) => total + pick(r), 0);
    return {
      requests: responses,
      ok2xx,
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      seconds,
      perSec: ok2xx / seconds,
      latencyMs: {
        p50: round1(percentile(latencies, 50)),
        p90: round1(percentile(latencies, 90)),
        p99: round1(percentile(latencies, 99)),
        max: round1(latencies.length ? latencies[latencies.length - 1] : 0),
        mean: round1(latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0),
      },
      statusCodes,
      service: Number.isFinite(serviceCpuSeconds)
        ? {
            cpuMsPerRequest: Math.round(((serviceCpuSeconds * 1000) / Math.max(1, ok2xx)) * 100) / 100,
            coreUtilisation: Math.round((serviceCpuSeconds / seconds) * 100) / 100,
          }
        : null,
      pgCoreUtilisation: Number.isFinite(pgCpuSeconds)
        ? Math.round((pgCpuSeconds / seconds) * 100) / 100
        : null,
      loadGeneratorCoreUtilisation: Math.round(((own.user + own.system) / 1e6 / seconds) * 100) / 100,
    };
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * One autocannon request whose every send takes the next prepared entry: each request is a
 * different order. Connections share the cursor, so no entry is sent twice. Non-2xx bodies are
 * kept (up to `keepErrors`) for the report; 2xx bodies go to `onOk`.
 */
export function replayList<T>(
  items: T[],
  build: (item: T) => { method: string; path: string; headers: Record<string, string>; body?: string },
  hooks: { errors: string[]; onOk?: (body: string) => void; keepErrors?: number },
): autocannon.Request[] {
  let next = 0;
  const keep = hooks.keepErrors ?? 5;
  return [
    {
      setupRequest: (request: autocannon.Request) => {
        // Past the end (only if a run overshoots its amount) the last entry repeats; never wraps.
        const item = items[Math.min(next++, items.length - 1)];
        return { ...request, ...build(item) } as autocannon.Request;
      },
      onResponse: (status: number, body: string) => {
        if (status >= 200 && status < 300) hooks.onOk?.(body);
        else if (hooks.errors.length < keep) hooks.errors.push(`${status} ${body.slice(0, 300)}`);
      },
    },
  ];
}

export function jsonPost(path: string, token: string, body: unknown) {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  };
}

/**
 * "service 2.9 ms CPU/req (0.98 core), PG sandbox 0.30 core, load gen 0.40 core": what the box
 * spent, not just wall time.
 */
export function cpuNote(result: LoadResult): string {
  const pg =
    result.pgCoreUtilisation === null ? '' : `PG sandbox ${result.pgCoreUtilisation.toFixed(2)} core, `;
  const gen = `${pg}load gen ${result.loadGeneratorCoreUtilisation.toFixed(2)} core`;
  if (!result.service) return gen;
  return `service ${result.service.cpuMsPerRequest} ms CPU/req (${result.service.coreUtilisation.toFixed(2)} core), ${gen}`;
}
