/**
 * An in-process PG for the history generator: Toss-like (a payment waits until confirmed, a
 * keyed request repeated answers what it answered first) or PortOne-like (the buyer's window
 * approves, confirm only looks it up, a cancel's checksum must match). It answers as the
 * adapters classify, with no HTTP, so the generator spends its time in the application.
 */
import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgCancel,
  PgCommandResult,
  PgPayment,
  PgProvider,
  PgResult,
} from '../../src/application/ports/payment-gateway.port';
import type { Clock } from '../../src/application/ports/clock.port';

interface Payment {
  pgPaymentId: string;
  orderId: string;
  amount: number;
  status: 'READY' | 'APPROVED' | 'DECLINED';
  approvedAt: string | null;
  cancels: PgCancel[];
}

const refused = (code: string) => ({ kind: 'refused' as const, code, message: code });

export class BenchPg implements PaymentGateway {
  private readonly payments = new Map<string, Payment>();
  private readonly byOrder = new Map<string, string>();
  private readonly answered = new Map<string, PgCommandResult<PgPayment>>();
  private seq = 0;

  constructor(
    readonly provider: PgProvider,
    private readonly clock: Clock,
  ) {}

  /** The buyer's window; `decline`: the card is refused when the payment is confirmed. */
  authorize(orderId: string, amount: number, decline = false): string {
    const pgPaymentId = `${this.provider === 'toss' ? 'tgen' : 'imp_'}${(++this.seq).toString(36).padStart(10, '0')}`;
    const approved = this.provider === 'portone' && !decline;
    this.payments.set(pgPaymentId, {
      pgPaymentId,
      orderId,
      amount,
      status: decline ? 'DECLINED' : approved ? 'APPROVED' : 'READY',
      approvedAt: approved ? this.now() : null,
      cancels: [],
    });
    this.byOrder.set(orderId, pgPaymentId);
    return pgPaymentId;
  }

  async confirm(request: ConfirmRequest): Promise<PgCommandResult<PgPayment>> {
    const payment = this.payments.get(request.pgPaymentId);
    if (!payment) return refused('NOT_FOUND_PAYMENT');
    if (payment.status === 'DECLINED') return refused('REJECT_CARD_PAYMENT');
    if (this.provider === 'toss') {
      const replay = this.answered.get(request.idempotencyKey);
      if (replay) return replay;
      if (payment.status !== 'READY')
        return { kind: 'already_done', code: 'ALREADY_PROCESSED_PAYMENT', message: '' };
      payment.status = 'APPROVED';
      payment.approvedAt = this.now();
    }
    return this.remember(request.idempotencyKey, { kind: 'ok', value: this.view(payment) });
  }

  async cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>> {
    const payment = this.payments.get(request.pgPaymentId);
    if (!payment) return refused('NOT_FOUND_PAYMENT');
    const replay = this.answered.get(request.idempotencyKey);
    if (replay) return replay;
    const balance = this.balance(payment);
    if (balance === 0) return { kind: 'already_done', code: 'ALREADY_CANCELED_PAYMENT', message: '' };
    if (this.provider === 'portone' && request.balanceBefore !== balance) return refused('CHECKSUM_MISMATCH');
    const amount = request.amount ?? balance;
    if (amount > balance) return refused('NOT_CANCELABLE_AMOUNT');
    payment.cancels.push({
      transactionId: `${payment.pgPaymentId}-c${payment.cancels.length + 1}`,
      amount,
      reason: request.reason,
      canceledAt: this.now(),
      requestKey: request.idempotencyKey,
    });
    return this.remember(request.idempotencyKey, {
      kind: 'ok',
      value: this.view(payment, request.idempotencyKey),
    });
  }

  async getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    const payment = this.payments.get(pgPaymentId);
    return { kind: 'ok', value: payment ? this.view(payment) : null };
  }

  async findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    const id = this.byOrder.get(orderId);
    return id === undefined ? { kind: 'ok', value: null } : this.getPayment(id);
  }

  private remember(key: string, answer: PgCommandResult<PgPayment>): PgCommandResult<PgPayment> {
    this.answered.set(key, answer);
    // A repeat comes right after the first call, if at all: the oldest answers go.
    if (this.answered.size > 50_000) this.answered.delete(this.answered.keys().next().value!);
    return answer;
  }

  private balance(payment: Payment): number {
    return payment.status === 'APPROVED'
      ? payment.amount - payment.cancels.reduce((sum, c) => sum + c.amount, 0)
      : 0;
  }

  private view(payment: Payment, ownKey?: string): PgPayment {
    const balance = this.balance(payment);
    const status =
      payment.status === 'READY'
        ? 'AWAITING'
        : payment.status === 'DECLINED'
          ? 'NOT_APPROVED'
          : balance === 0
            ? 'CANCELED'
            : balance < payment.amount
              ? 'PARTIALLY_CANCELED'
              : 'APPROVED';
    return {
      provider: this.provider,
      pgPaymentId: payment.pgPaymentId,
      orderId: payment.orderId,
      totalAmount: payment.amount,
      balanceAmount: balance,
      status,
      pgStatus: payment.status === 'APPROVED' ? (this.provider === 'toss' ? 'DONE' : 'paid') : payment.status,
      approvedAt: payment.approvedAt,
      methodDetail:
        this.provider === 'toss'
          ? { method: '카드', cardIssuerCode: '61', cardNumber: '43301234****123*' }
          : { method: 'card' },
      cancels: payment.cancels.map((c) =>
        this.provider === 'portone' || (ownKey !== undefined && c.requestKey === ownKey)
          ? c
          : { ...c, requestKey: null },
      ),
    };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
