import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  PortoneCancelRecord,
  PortonePaymentAnnotation,
  PortonePaymentStore,
} from './portone-payment.store';

export interface CancelTarget {
  impUid?: string;
  merchantUid?: string;
}

export interface CancelCommand {
  /** Omitted or 0: the whole remaining balance. */
  amount?: number;
  /** The caller's view of the refundable balance; null/undefined skips the check. */
  checksum?: number | null;
  reason: string;
}

export type CancelResult =
  | { kind: 'ok'; payment: PortonePaymentAnnotation; cancel: PortoneCancelRecord }
  | { kind: 'refused'; message: string };

export const MSG_NO_PAYMENT = '취소할 결제건이 존재하지 않습니다.';
export const MSG_ALREADY_CANCELLED = '이미 전액취소된 주문입니다.';

/** PortOne's cancel rules, applied atomically (one SQLite transaction, so racing cancels cannot overdraw). */
export class PortoneCancelService {
  constructor(
    private readonly db: Database.Database,
    private readonly payments: PortonePaymentStore,
  ) {}

  /** imp_uid wins over merchant_uid; by merchant_uid the latest paid attempt is the one cancelled. */
  resolve(target: CancelTarget): PortonePaymentAnnotation | null {
    if (target.impUid) return this.payments.get(target.impUid);
    if (!target.merchantUid) return null;
    return (
      this.payments.latestByMerchantUid(target.merchantUid, 'paid') ??
      this.payments.latestByMerchantUid(target.merchantUid)
    );
  }

  cancel(target: CancelTarget, command: CancelCommand, nowMs: number): CancelResult {
    return this.db.transaction((): CancelResult => {
      const payment = this.resolve(target);
      if (!payment) return { kind: 'refused', message: MSG_NO_PAYMENT };
      if (payment.status === 'cancelled') return { kind: 'refused', message: MSG_ALREADY_CANCELLED };
      if (payment.status !== 'paid') {
        return { kind: 'refused', message: '결제완료 상태가 아닌 결제건은 취소할 수 없습니다.' };
      }
      const balance = payment.amount - payment.cancel_amount;
      if (command.checksum !== undefined && command.checksum !== null && command.checksum !== balance) {
        return {
          kind: 'refused',
          message: `checksum(${command.checksum})이 취소 가능 잔액(${balance})과 일치하지 않아 취소하지 않았습니다.`,
        };
      }
      const amount = command.amount ? command.amount : balance;
      if (amount > balance) {
        return {
          kind: 'refused',
          message: `취소 요청 금액(${amount})이 취소 가능 잔액(${balance})보다 큽니다.`,
        };
      }
      const pgTid = `sandbox_cancel_${randomBytes(8).toString('hex')}`;
      const cancel: PortoneCancelRecord = {
        pg_tid: pgTid,
        cancellation_id: `cnl_${randomBytes(8).toString('hex')}`,
        amount,
        cancelled_at: Math.floor(nowMs / 1000),
        reason: command.reason,
        receipt_url: `https://sandbox.ledgerline.local/portone/receipts/${pgTid}`,
      };
      this.payments.recordCancel(payment.imp_uid, cancel, amount === balance ? 'cancelled' : 'paid');
      const updated = this.payments.get(payment.imp_uid);
      if (!updated) throw new Error(`payment ${payment.imp_uid} vanished inside its cancel transaction`);
      return { kind: 'ok', payment: updated, cancel };
    })();
  }
}
