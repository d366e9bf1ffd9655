import type { AuditReport } from '../../application/audit/history-audit';

const krw = (n: number): string => `${n.toLocaleString('en-US')} KRW`;

/** The totals block of the summary: what the history adds up to at the cut, in the scope. */
export function formatTotals(report: AuditReport): string[] {
  const { totals: t, scope } = report;
  const within = scope?.orderId
    ? ` for order ${scope.orderId}`
    : scope?.userId
      ? ` for user ${scope.userId}`
      : '';
  const refunds =
    t.payments.refundsPending > 0
      ? `, ${t.payments.refundsPending} refund(s) of ${krw(t.payments.refundsPendingAmount)} pending`
      : '';
  return [
    '',
    `Totals${within} at ${t.at ?? 'the start (empty history)'}${report.asOf ? ' (--as-of)' : ''}:`,
    `  orders         ${t.orders.placed} placed, ${t.orders.paid} paid, ${t.orders.expired} expired`,
    `  payments       ${t.payments.approved} approved, ${krw(t.payments.approvedAmount)}; refunded ${krw(t.payments.refundedAmount)}; net ${krw(t.payments.netAmount)}${refunds}`,
    `  event fund     ${krw(t.eventFund.total)} from ${t.eventFund.contributions} contribution(s)`,
    `  subscriptions  ${t.subscriptions.active} active, ${t.subscriptions.inactive} expired or revoked`,
  ];
}
