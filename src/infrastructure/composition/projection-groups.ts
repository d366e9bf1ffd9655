import { type Projection, type ProjectionGroup } from '../../application/event-sourcing/projection';
import { eventFundProjection } from '../../application/event-fund/event-fund.projection';
import { orderExpiryPending } from '../../application/order/order-expiry.pending';
import { ordersProjection } from '../../application/order/orders.projection';
import { approvalFollowUpPending } from '../../application/payment/approval-follow-up.pending';
import { approvalVoidPending } from '../../application/payment/approval-void.pending';
import { claimFollowUpPending } from '../../application/payment/claim-follow-up.pending';
import { confirmationReconcilerPending } from '../../application/payment/confirmation-reconciler.pending';
import { entitlementRemovalPending } from '../../application/refund/entitlement-removal.pending';
import { refundExecutionPending } from '../../application/refund/refund-execution.pending';
import { subscriptionExpiryPending } from '../../application/subscription/subscription-expiry.pending';
import { subscriptionsProjection } from '../../application/subscription/subscriptions.projection';
import { webhookInboxPending } from '../../application/webhook/webhook-inbox.pending';

/**
 * Every projection, with its checkpoint. Each has a checkpoint of its own, except where one
 * reads, in the same batch, the document another folds: those share a group (one checkpoint,
 * applied in the order listed), so the reader never sees that document at another position.
 * - `orders`: the orders read model, then the event fund and the entitlement-removal work,
 *   which read the order's payment as the orders projection has just folded it;
 * - `subscriptions`: the subscriptions read model, then the subscription-expiry work, which
 *   reads the subscription's next transition from it.
 */
export function projectionGroups(
  recheckFeed: Projection,
  /** Tests: another version of a projection. */
  map: (projection: Projection) => Projection = (p) => p,
): ReadonlyArray<Projection | ProjectionGroup> {
  return [
    {
      name: 'orders',
      projections: [ordersProjection, eventFundProjection, entitlementRemovalPending].map(map),
    },
    { name: 'subscriptions', projections: [subscriptionsProjection, subscriptionExpiryPending].map(map) },
    ...[
      orderExpiryPending,
      confirmationReconcilerPending,
      claimFollowUpPending,
      approvalFollowUpPending,
      approvalVoidPending,
      refundExecutionPending,
      webhookInboxPending,
      recheckFeed,
    ].map(map),
  ];
}
