import type { TossPaymentRecord } from './toss-payment.record';
import { toTossIso } from './toss-time.format';

/**
 * The Payment object (API version 2022-11-16) as Toss returns it from confirm, lookups, cancel
 * and in webhooks. Fields the sandbox does not model are present with Toss's empty values.
 */
export function toTossPayment(p: TossPaymentRecord): Record<string, unknown> {
  const vat = Math.round(p.balanceAmount / 11);
  const approved = p.approvedAt !== null;
  return {
    mId: 'tvivarepublica',
    lastTransactionKey: p.lastTransactionKey,
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    orderName: p.orderName,
    taxExemptionAmount: 0,
    status: p.status,
    requestedAt: toTossIso(p.requestedAt),
    approvedAt: p.approvedAt === null ? null : toTossIso(p.approvedAt),
    useEscrow: false,
    cultureExpense: false,
    card: cardOf(p),
    virtualAccount: null,
    transfer: p.method === '계좌이체' ? { bankCode: '88', settlementStatus: 'INCOMPLETED' } : null,
    mobilePhone: null,
    giftCertificate: null,
    cashReceipt: null,
    cashReceipts: null,
    discount: null,
    cancels: p.cancels.length === 0 ? null : p.cancels.map(cancelOf),
    secret: null,
    type: 'NORMAL',
    easyPay:
      p.method === '간편결제'
        ? {
            provider: p.easyPayProvider ?? '토스페이',
            amount: p.cardIssuerCode ? 0 : p.totalAmount,
            discountAmount: 0,
          }
        : null,
    country: 'KR',
    failure: p.failure,
    isPartialCancelable: true,
    receipt: approved
      ? {
          url: `https://dashboard.tosspayments.com/receipt/redirection?transactionId=${p.lastTransactionKey}&ref=PX`,
        }
      : null,
    checkout: { url: `https://api.tosspayments.com/v1/payments/${p.paymentKey}/checkout` },
    currency: 'KRW',
    totalAmount: p.totalAmount,
    balanceAmount: p.balanceAmount,
    suppliedAmount: p.balanceAmount - vat,
    vat,
    taxFreeAmount: 0,
    metadata: null,
    method: p.method,
    version: '2022-11-16',
  };
}

function cardOf(p: TossPaymentRecord): Record<string, unknown> | null {
  if (!p.cardIssuerCode) return null;
  return {
    issuerCode: p.cardIssuerCode,
    acquirerCode: p.cardIssuerCode,
    number: p.cardNumber,
    installmentPlanMonths: 0,
    isInterestFree: false,
    interestPayer: null,
    approveNo: p.approveNo ?? '00000000',
    useCardPoint: false,
    cardType: '신용',
    ownerType: '개인',
    acquireStatus: p.status === 'CANCELED' ? 'CANCELED' : 'READY',
    amount: p.totalAmount,
  };
}

function cancelOf(c: TossPaymentRecord['cancels'][number]): Record<string, unknown> {
  return {
    transactionKey: c.transactionKey,
    cancelReason: c.cancelReason,
    taxExemptionAmount: 0,
    canceledAt: toTossIso(c.canceledAt),
    transferDiscountAmount: 0,
    easyPayDiscountAmount: 0,
    receiptKey: null,
    cancelAmount: c.cancelAmount,
    taxFreeAmount: 0,
    refundableAmount: c.refundableAmount,
    cancelStatus: 'DONE',
    cancelRequestId: null,
  };
}
