import type { Decider } from '../shared/decider';
import type { OrderCommand } from './order.commands';
import { decideOrder } from './order.decide';
import type { OrderEvent } from './order.events';
import { evolveOrder, initialOrderState } from './order.evolve';
import type { OrderState } from './order.state';

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};

export const orderStreamId = (orderId: string): string => `order-${orderId}`;
