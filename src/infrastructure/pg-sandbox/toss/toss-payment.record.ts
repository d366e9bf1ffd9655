/** The sandbox's own record of one payment (a buyer session and what became of it). */
export type TossPaymentStatus =
  'READY' | 'IN_PROGRESS' | 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED' | 'ABORTED' | 'EXPIRED';

export const TOSS_METHODS = ['카드', '간편결제', '계좌이체', '휴대폰'] as const;
export type TossMethod = (typeof TOSS_METHODS)[number];

/** After the buyer authenticates, confirm must come within 10 minutes (reference 1.3). */
export const SESSION_WINDOW_MS = 10 * 60_000;

export const APPROVED_STATUSES: readonly TossPaymentStatus[] = ['DONE', 'PARTIAL_CANCELED', 'CANCELED'];
/** Statuses that a lapse of the confirm window turns into EXPIRED. */
export const OPEN_STATUSES: readonly TossPaymentStatus[] = ['READY', 'IN_PROGRESS'];

export interface TossCancelRecord {
  transactionKey: string;
  cancelAmount: number;
  cancelReason: string;
  canceledAt: number;
  refundableAmount: number;
}

export interface TossPaymentRecord {
  paymentKey: string;
  orderId: string;
  orderName: string;
  totalAmount: number;
  method: TossMethod;
  cardIssuerCode: string | null;
  /** Masked, as Toss shows it. */
  cardNumber: string | null;
  easyPayProvider: string | null;
  /** What confirm will do: 'approve', 'decline' or a Toss error code. */
  outcome: string;
  status: TossPaymentStatus;
  /** Session creation (the buyer authenticated), epoch ms on the sandbox clock. */
  requestedAt: number;
  approvedAt: number | null;
  approveNo: string | null;
  /** The approval's own transaction key (`GET /v1/transactions`); absent on records older than it. */
  approvalTransactionKey?: string;
  balanceAmount: number;
  cancels: TossCancelRecord[];
  failure: { code: string; message: string } | null;
  lastTransactionKey: string | null;
}

export function isWindowLapsed(record: TossPaymentRecord, now: number): boolean {
  return OPEN_STATUSES.includes(record.status) && now > record.requestedAt + SESSION_WINDOW_MS;
}
