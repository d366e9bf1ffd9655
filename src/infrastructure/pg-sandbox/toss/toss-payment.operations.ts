import type { Clock } from '../../../application/ports/clock.port';
import { tossError, type TossReply } from './toss-error-codes';
import { newApproveNo, newMaskedCardNumber, newPaymentKey, newTransactionKey } from './toss-ids';
import {
  APPROVED_STATUSES,
  SESSION_WINDOW_MS,
  isWindowLapsed,
  type TossPaymentRecord,
} from './toss-payment.record';
import type { TossPaymentRepository } from './toss-payment.repository';
import { toTossPayment } from './toss-payment.view';
import type { CancelBody, ConfirmBody, SessionBody } from './toss-sandbox.schemas';
import type { TossWebhookOutbox } from './toss-webhook.outbox';

/**
 * What the Toss sandbox does to payments. Synchronous (SQLite), so a caller can run an operation
 * and store its idempotent answer in one transaction. Every status change queues a webhook.
 */
export class TossPaymentOperations {
  constructor(
    private readonly repo: TossPaymentRepository,
    private readonly outbox: TossWebhookOutbox,
    private readonly clock: Clock,
  ) {}

  /** The buyer finished the payment window: the payment is authenticated, awaiting confirm. */
  createSession(input: SessionBody): TossReply {
    const now = this.clock.now();
    if (this.repo.approvedForOrder(input.orderId)) return tossError('DUPLICATED_ORDER_ID');
    const method = input.method ?? (input.easyPayProvider ? '간편결제' : '카드');
    const cardIssuerCode = input.cardIssuerCode ?? (method === '카드' ? '11' : null);
    const record: TossPaymentRecord = {
      paymentKey: newPaymentKey(now),
      orderId: input.orderId,
      orderName: input.orderName,
      totalAmount: input.amount,
      method,
      cardIssuerCode,
      cardNumber: cardIssuerCode ? newMaskedCardNumber() : null,
      easyPayProvider: method === '간편결제' ? (input.easyPayProvider ?? '토스페이') : null,
      outcome: input.outcome ?? 'approve',
      status: 'IN_PROGRESS',
      requestedAt: now,
      approvedAt: null,
      approveNo: null,
      balanceAmount: input.amount,
      cancels: [],
      failure: null,
      lastTransactionKey: null,
    };
    this.repo.insert(record);
    return {
      status: 201,
      body: { paymentKey: record.paymentKey, orderId: record.orderId, amount: record.totalAmount },
    };
  }

  confirm(input: ConfirmBody, forceDecline: boolean): TossReply {
    const now = this.clock.now();
    const p = this.repo.byKey(input.paymentKey);
    if (!p) return tossError('NOT_FOUND_PAYMENT');
    if (p.orderId !== input.orderId) return tossError('FORBIDDEN_REQUEST');
    if (isWindowLapsed(p, now)) {
      this.expire(p, now);
      return tossError('NOT_FOUND_PAYMENT_SESSION');
    }
    if (APPROVED_STATUSES.includes(p.status)) return tossError('ALREADY_PROCESSED_PAYMENT');
    // A failed or expired payment has no session left to approve.
    if (p.status === 'ABORTED' || p.status === 'EXPIRED') return tossError('NOT_FOUND_PAYMENT_SESSION');
    // Toss's code for an amount mismatch is undocumented (reference 4.1); INVALID_REQUEST is our pick.
    if (p.totalAmount !== input.amount) return tossError('INVALID_REQUEST', '결제 금액이 일치하지 않습니다.');
    if (this.repo.approvedForOrder(p.orderId)) return tossError('DUPLICATED_ORDER_ID');
    const outcome = forceDecline ? 'decline' : p.outcome;
    if (outcome !== 'approve')
      return this.refuse(p, outcome === 'decline' ? 'REJECT_CARD_COMPANY' : outcome, now);
    p.status = 'DONE';
    p.approvedAt = now;
    p.approveNo = p.cardIssuerCode ? newApproveNo() : null;
    p.lastTransactionKey = newTransactionKey();
    p.approvalTransactionKey = p.lastTransactionKey;
    this.transition(p, now);
    return { status: 200, body: toTossPayment(p) };
  }

  cancel(paymentKey: string, input: CancelBody, forceDecline: boolean): TossReply {
    const now = this.clock.now();
    const p = this.find(this.repo.byKey(paymentKey), now);
    if (!p) return tossError('NOT_FOUND_PAYMENT');
    if (p.status === 'CANCELED') return tossError('ALREADY_CANCELED_PAYMENT');
    if (p.status !== 'DONE' && p.status !== 'PARTIAL_CANCELED') return tossError('NOT_CANCELABLE_PAYMENT');
    if (forceDecline) return tossError('NOT_CANCELABLE_PAYMENT');
    const amount = input.cancelAmount ?? p.balanceAmount;
    if (amount > p.balanceAmount) return tossError('NOT_CANCELABLE_AMOUNT');
    p.balanceAmount -= amount;
    p.status = p.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
    p.lastTransactionKey = newTransactionKey();
    p.cancels.push({
      transactionKey: p.lastTransactionKey,
      cancelAmount: amount,
      cancelReason: input.cancelReason,
      canceledAt: now,
      refundableAmount: p.balanceAmount,
    });
    this.transition(p, now);
    return { status: 200, body: toTossPayment(p) };
  }

  findByKey(paymentKey: string): TossReply {
    return this.lookupReply(this.repo.byKey(paymentKey));
  }

  findByOrderId(orderId: string): TossReply {
    return this.lookupReply(this.repo.byOrderId(orderId));
  }

  orderIdOf(paymentKey: string): string | null {
    return this.repo.byKey(paymentKey)?.orderId ?? null;
  }

  /** Unconfirmed sessions whose 10-minute window has passed become EXPIRED (with a webhook). */
  expireLapsed(now: number): void {
    for (const p of this.repo.openRequestedBefore(now - SESSION_WINDOW_MS)) this.expire(p, now);
  }

  /** The first instant at which some open session lapses, or null. */
  nextExpiryAt(): number | null {
    const oldest = this.repo.oldestOpenRequestedAt();
    return oldest === null ? null : oldest + SESSION_WINDOW_MS + 1;
  }

  private lookupReply(record: TossPaymentRecord | null): TossReply {
    const p = this.find(record, this.clock.now());
    return p ? { status: 200, body: toTossPayment(p) } : tossError('NOT_FOUND_PAYMENT');
  }

  /** Reads see the window lapse even before the scheduler has run. */
  private find(p: TossPaymentRecord | null, now: number): TossPaymentRecord | null {
    if (p && isWindowLapsed(p, now)) this.expire(p, now);
    return p;
  }

  private refuse(p: TossPaymentRecord, code: string, now: number): TossReply {
    const reply = tossError(code);
    // A 5xx outcome is an internal error that leaves the payment as it was.
    if (reply.status < 500) {
      p.status = 'ABORTED';
      p.failure = reply.body as TossPaymentRecord['failure'];
      this.transition(p, now);
    }
    return reply;
  }

  private expire(p: TossPaymentRecord, now: number): void {
    p.status = 'EXPIRED';
    p.failure = { code: 'EXPIRED_PAYMENT', message: '결제 유효 시간이 지나 만료되었습니다.' };
    this.transition(p, now);
  }

  private transition(p: TossPaymentRecord, now: number): void {
    this.repo.save(p);
    this.outbox.enqueue(p, now);
  }
}
