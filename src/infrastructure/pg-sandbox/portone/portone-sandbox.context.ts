import type { Clock } from '../../../application/ports/clock.port';
import type { FaultRegistry } from '../fault-registry';
import type { PortoneCallCounter } from './portone-call-counter';
import type { PortoneCancelService } from './portone-cancel.service';
import type { PortonePaymentStore } from './portone-payment.store';
import type { PortoneSessionService } from './portone-session.service';
import type { PortoneTokenStore } from './portone-token.store';
import type { PortoneWebhookOutbox } from './portone-webhook-outbox';

/** Everything the sandbox's route groups share; built once by `createPortoneSandbox`. */
export interface PortoneSandboxContext {
  clock: Clock;
  faults: FaultRegistry;
  apiKey: string;
  apiSecret: string;
  tokens: PortoneTokenStore;
  payments: PortonePaymentStore;
  cancels: PortoneCancelService;
  sessions: PortoneSessionService;
  calls: PortoneCallCounter;
  outbox: PortoneWebhookOutbox;
  /** Loopback or SANDBOX_NOTICE_URL_ALLOW: where a payment's notice_url may point. */
  noticeUrlAllowed: (url: string) => boolean;
}
