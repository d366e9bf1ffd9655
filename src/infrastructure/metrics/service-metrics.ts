import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processStatuses, type Application } from '../../application/application';

/** Node's own metrics (heap, event loop, GC) once per process, whatever the number of services in it. */
let processRegistry: Registry | null = null;
function nodeProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Seconds, spread over what a request, a PG call or a group commit takes. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, one registry per composition (so two services in one
 * process, as in the tests, count apart). Counters move where things happen (the HTTP layer,
 * the metered PG and event store decorators); the application's state (projection lag,
 * each process's pending and parked work) is read at scrape time.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'ledgerline_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'ledgerline_http_request_duration_seconds',
    help: 'HTTP request duration, from the request to the end of the response',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  /** The labelled children of the two HTTP metrics, by label values: a request skips the label hashing. */
  private readonly httpChildren = new Map<
    string,
    { requests: { inc(): void }; duration: { observe(value: number): void } }
  >();

  /** One answered request: counted and timed under its method, route template and status class. */
  observeHttp(method: string, route: string, statusClass: string, seconds: number): void {
    const key = `${method} ${route} ${statusClass}`;
    let children = this.httpChildren.get(key);
    if (!children) {
      children = {
        requests: this.httpRequests.labels(method, route, statusClass),
        duration: this.httpDuration.labels(method, route, statusClass),
      };
      this.httpChildren.set(key, children);
    }
    children.requests.inc();
    children.duration.observe(seconds);
  }

  readonly pgCalls = new Counter({
    name: 'ledgerline_pg_calls_total',
    help: 'PG calls by provider, operation and outcome (ok, already_done, refused, unknown)',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly pgDuration = new Histogram({
    name: 'ledgerline_pg_call_duration_seconds',
    help: 'PG call duration by provider, operation and outcome',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly appends = new Counter({
    name: 'ledgerline_event_store_appends_total',
    help: 'Event store appends by outcome (ok, conflict: wrong expected revision, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly appendedEvents = new Counter({
    name: 'ledgerline_event_store_appended_events_total',
    help: 'Events in successful appends (an idempotent repeat counts again)',
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'ledgerline_event_store_append_duration_seconds',
    help: 'Event store append duration (SQLite: including the group commit and its fsync)',
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  /** Registers the scrape-time gauges that read the application (call once, after composing). */
  observe(app: Application): void {
    const { projector, eventStore } = app;
    new Gauge({
      name: 'ledgerline_event_store_head_position',
      help: 'Global position of the newest event in the store',
      registers: [this.registry],
      async collect() {
        this.set(await eventStore.headPosition());
      },
    });
    new Gauge({
      name: 'ledgerline_projection_checkpoint',
      help: 'Global position the read models include',
      registers: [this.registry],
      collect() {
        this.set(projector.checkpoint);
      },
    });
    new Gauge({
      name: 'ledgerline_projection_lag',
      help: 'Event store head position minus the projector checkpoint (0: the read models are current)',
      registers: [this.registry],
      async collect() {
        this.set(Math.max(0, (await eventStore.headPosition()) - projector.checkpoint));
      },
    });
    // Both process gauges come from one read of the processes' pending work per scrape.
    let statuses: ReturnType<typeof processStatuses> | null = null;
    const current = () => {
      statuses ??= processStatuses(app).finally(() => setImmediate(() => (statuses = null)));
      return statuses;
    };
    new Gauge({
      name: 'ledgerline_process_pending_items',
      help: 'Items each process still owes (P2), parked ones excluded',
      labelNames: ['process'] as const,
      registers: [this.registry],
      async collect() {
        for (const status of await current()) this.set({ process: status.process }, status.pending);
      },
    });
    new Gauge({
      name: 'ledgerline_process_parked_items',
      help: 'Items each process parked after repeated failures, waiting for an operator',
      labelNames: ['process'] as const,
      registers: [this.registry],
      async collect() {
        for (const status of await current()) this.set({ process: status.process }, status.parked.length);
      },
    });
  }

  /** The Prometheus text exposition: this service's metrics and the node process's. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([nodeProcessRegistry(), this.registry]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  }
}
