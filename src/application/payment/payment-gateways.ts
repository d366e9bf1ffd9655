import { DomainError } from '../../domain/shared/domain-error';
import type { PaymentGateway, PgProvider } from '../ports/payment-gateway.port';

/** The configured PGs, by provider. */
export class PaymentGateways {
  private readonly byProvider = new Map<PgProvider, PaymentGateway>();

  constructor(gateways: readonly PaymentGateway[]) {
    for (const gateway of gateways) this.byProvider.set(gateway.provider, gateway);
  }

  has(provider: PgProvider): boolean {
    return this.byProvider.has(provider);
  }

  /** Throws UNSUPPORTED_PROVIDER (a 4xx) for a PG this deployment is not configured for. */
  get(provider: PgProvider): PaymentGateway {
    const gateway = this.byProvider.get(provider);
    if (!gateway) throw new DomainError('UNSUPPORTED_PROVIDER', `provider ${provider} is not configured`);
    return gateway;
  }
}
