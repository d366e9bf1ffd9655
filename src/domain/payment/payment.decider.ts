import type { Decider } from '../shared/decider';
import type { PaymentCommand } from './payment.commands';
import { decidePayment } from './payment.decide';
import type { PaymentEvent } from './payment.events';
import { evolvePayment, initialPaymentState } from './payment.evolve';
import type { PaymentState } from './payment.state';

export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState> = {
  initialState: initialPaymentState,
  decide: decidePayment,
  evolve: evolvePayment,
};

export const paymentStreamId = (orderId: string): string => `payment-${orderId}`;
