import { randomBytes, randomInt } from 'node:crypto';
import { DEFAULT_CARD_CODE, portoneCardName } from './portone-card-codes';
import type { PortonePaymentDetails, PortonePaymentStore, PortoneStatus } from './portone-payment.store';
import type { SessionRequest } from './portone-request.schemas';

/** Easy-pay methods are their own PG in PortOne v1 (pg_provider = the method). */
const EASY_PAY_METHODS = new Set(['kakaopay', 'naverpay', 'payco', 'tosspay', 'samsung', 'lpay', 'ssgpay']);
export const SANDBOX_DECLINE_REASON = '[sandbox] 카드사 승인 거절: 잔액이 부족합니다.';

const SESSION_STATUS: Record<SessionRequest['outcome'], PortoneStatus> = {
  approve: 'paid',
  decline: 'failed',
  ready: 'ready',
};

export interface CreatedSession {
  imp_uid: string;
  merchant_uid: string;
  status: PortoneStatus;
  /** Why the PG refused, for the buyer's window (null unless failed). */
  fail_reason: string | null;
}

/**
 * What IMP.request_pay leaves behind when the buyer's window closes: in PortOne v1 the payment is
 * already complete (paid) or failed by then; the merchant only looks it up afterwards. `ready`
 * stands for a payment the buyer has not finished (e.g. an unpaid virtual account).
 */
export class PortoneSessionService {
  constructor(private readonly payments: PortonePaymentStore) {}

  complete(request: SessionRequest, nowMs: number): CreatedSession {
    const now = Math.floor(nowMs / 1000);
    const impUid = this.newImpUid();
    const status = SESSION_STATUS[request.outcome];
    this.payments.insert({
      imp_uid: impUid,
      merchant_uid: request.merchant_uid,
      status,
      amount: request.amount,
      cancel_amount: 0,
      started_at: now,
      paid_at: status === 'paid' ? now : 0,
      failed_at: status === 'failed' ? now : 0,
      cancelled_at: 0,
      fail_reason: status === 'failed' ? SANDBOX_DECLINE_REASON : null,
      cancel_reason: null,
      details: this.details(request, status === 'paid'),
    });
    return {
      imp_uid: impUid,
      merchant_uid: request.merchant_uid,
      status,
      fail_reason: status === 'failed' ? SANDBOX_DECLINE_REASON : null,
    };
  }

  private details(request: SessionRequest, approved: boolean): PortonePaymentDetails {
    const isCard = request.pay_method === 'card';
    const cardCode = isCard ? (request.card_code ?? DEFAULT_CARD_CODE) : null;
    const pgTid = `sandbox_${randomBytes(10).toString('hex')}`;
    return {
      pay_method: request.pay_method,
      channel: 'pc',
      pg_provider: EASY_PAY_METHODS.has(request.pay_method) ? request.pay_method : 'html5_inicis',
      emb_pg_provider: null,
      pg_tid: pgTid,
      pg_id: 'ledgerline-sandbox',
      name: request.name,
      currency: 'KRW',
      apply_num: approved && isCard ? String(randomInt(10_000_000, 100_000_000)) : null,
      card_code: cardCode,
      card_name: cardCode ? portoneCardName(cardCode) : null,
      card_number: isCard ? `${randomInt(4000, 5000)}-****-****-${randomInt(1000, 10_000)}` : null,
      card_quota: 0,
      card_type: isCard ? 0 : null,
      buyer_name: request.buyer_name ?? null,
      buyer_email: request.buyer_email ?? null,
      buyer_tel: request.buyer_tel ?? null,
      buyer_addr: null,
      buyer_postcode: null,
      custom_data: null,
      receipt_url: `https://sandbox.ledgerline.local/portone/receipts/${pgTid}`,
    };
  }

  /** `imp_` + 12 digits, like the real ids; re-drawn on the (rare) collision. */
  private newImpUid(): string {
    for (;;) {
      const candidate = `imp_${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
      if (!this.payments.exists(candidate)) return candidate;
    }
  }
}
