import { MeteredEventStore } from '../eventstore/metered-event-store';
import { ServiceMetrics } from '../metrics/service-metrics';
import { MeteredPaymentGateway } from '../pg/metered-payment-gateway';
import type { Adapters } from './adapters';

/**
 * The adapters with each PaymentGateway and the EventStore wrapped in a metering decorator,
 * and the metrics they count into. Closing the decorators closes what they wrap.
 */
export function metered(adapters: Adapters): { adapters: Adapters; metrics: ServiceMetrics } {
  const metrics = new ServiceMetrics();
  return {
    metrics,
    adapters: {
      ...adapters,
      eventStore: new MeteredEventStore(adapters.eventStore, metrics),
      gateways: adapters.gateways.map((gateway) => new MeteredPaymentGateway(gateway, metrics)),
    },
  };
}
