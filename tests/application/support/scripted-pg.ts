import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgCancel,
  PgCommandResult,
  PgPayment,
  PgProvider,
  PgResult,
} from '../../../src/application/ports/payment-gateway.port';
import type { Clock } from '../../../src/application/ports/clock.port';

/** What the next call of an operation does instead of answering normally. */
export type Fault =
  /** The PG never got it: nothing happens, the answer is unknown. */
  | 'lost-request'
  /** The PG does it, and the answer is lost (a timeout after the fact). */
  | 'lost-answer'
  /** The PG refuses with this code. */
  | { refuse: string };

export type Operation = 'confirm' | 'cancel' | 'lookup';

interface Payment {
  pgPaymentId: string;
  orderId: string;
  amount: number;
  status: 'READY' | 'APPROVED' | 'ABORTED';
  approvedAt: string | null;
  cancels: PgCancel[];
}

export interface Call {
  op: Operation;
  pgPaymentId: string | null;
  key?: string;
  amount?: number;
}

/**
 * A PG for application tests, answering as the adapters classify. `toss`: a payment is READY
 * until confirmed, and a keyed request repeated answers what it answered first. `portone`: the
 * buyer's window approves it, confirm only looks it up, and a cancel's `checksum` must match.
 */
export class ScriptedPg implements PaymentGateway {
  readonly calls: Call[] = [];
  private readonly payments = new Map<string, Payment>();
  private readonly faults: Array<{ op: Operation; fault: Fault }> = [];
  /** Faults that hit every call of an operation on one payment, until `recover`. */
  private readonly stuck = new Map<string, Map<Operation, Fault>>();
  private readonly answered = new Map<string, PgCommandResult<PgPayment>>();
  private seq = 0;

  constructor(
    readonly provider: PgProvider,
    private readonly clock: Clock,
  ) {}

  /** The buyer's window: the payment the success redirect carries. */
  authorize(orderId: string, amount: number): string {
    const pgPaymentId = `${this.provider}-pay-${++this.seq}`;
    const approved = this.provider === 'portone';
    this.payments.set(pgPaymentId, {
      pgPaymentId,
      orderId,
      amount,
      status: approved ? 'APPROVED' : 'READY',
      approvedAt: approved ? this.now() : null,
      cancels: [],
    });
    return pgPaymentId;
  }

  /** A cancel made in the PG's console (no key of ours). */
  consoleCancel(pgPaymentId: string, amount?: number): PgCancel {
    const payment = this.get(pgPaymentId);
    return this.applyCancel(payment, amount ?? this.balance(payment), 'console', null);
  }

  /**
   * The PG approves a payment still waiting (a Toss payment never confirmed by us: the buyer
   * finished a step late, a virtual account paid late). No call of ours: the PG did it alone.
   */
  approveLate(pgPaymentId: string): void {
    const payment = this.get(pgPaymentId);
    if (payment.status !== 'READY') throw new Error(`${pgPaymentId} is not waiting`);
    payment.status = 'APPROVED';
    payment.approvedAt = this.now();
  }

  failNext(op: Operation, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ op, fault });
  }

  /** Every call of `op` about this payment meets `fault` (before any `failNext` fault), until `recover`. */
  failAlways(pgPaymentId: string, op: Operation, fault: Fault): void {
    const faults = this.stuck.get(pgPaymentId) ?? new Map<Operation, Fault>();
    faults.set(op, fault);
    this.stuck.set(pgPaymentId, faults);
  }

  /** The payment's calls answer normally again. */
  recover(pgPaymentId: string): void {
    this.stuck.delete(pgPaymentId);
  }

  callsOf(op: Operation): Call[] {
    return this.calls.filter((c) => c.op === op);
  }

  /** Cancels the PG made for this payment (ours and the console's). */
  cancelsOf(pgPaymentId: string): PgCancel[] {
    return this.get(pgPaymentId).cancels;
  }

  async confirm(request: ConfirmRequest): Promise<PgCommandResult<PgPayment>> {
    this.calls.push({ op: 'confirm', pgPaymentId: request.pgPaymentId, key: request.idempotencyKey });
    const fault = this.takeFault('confirm', request.pgPaymentId);
    if (fault === 'lost-request') return unknown();
    const payment = this.payments.get(request.pgPaymentId);
    if (!payment) return refused('NOT_FOUND_PAYMENT');
    if (fault !== null && typeof fault === 'object') return refused(fault.refuse);
    if (this.provider === 'toss') {
      const replay = this.answered.get(request.idempotencyKey);
      if (replay) return replay;
      if (payment.status !== 'READY')
        return { kind: 'already_done', code: 'ALREADY_PROCESSED_PAYMENT', message: '' };
      payment.status = 'APPROVED';
      payment.approvedAt = this.now();
    }
    const answer: PgCommandResult<PgPayment> = { kind: 'ok', value: this.view(payment) };
    this.answered.set(request.idempotencyKey, answer);
    return fault === 'lost-answer' ? unknown() : answer;
  }

  async cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>> {
    this.calls.push({
      op: 'cancel',
      pgPaymentId: request.pgPaymentId,
      key: request.idempotencyKey,
      amount: request.amount,
    });
    const fault = this.takeFault('cancel', request.pgPaymentId);
    if (fault === 'lost-request') return unknown();
    if (fault !== null && typeof fault === 'object') return refused(fault.refuse);
    const payment = this.payments.get(request.pgPaymentId);
    if (!payment) return refused('NOT_FOUND_PAYMENT');
    if (this.provider === 'toss') {
      const replay = this.answered.get(request.idempotencyKey);
      if (replay) return replay;
    }
    const balance = this.balance(payment);
    if (balance === 0) return { kind: 'already_done', code: 'ALREADY_CANCELED_PAYMENT', message: '' };
    if (this.provider === 'portone' && request.balanceBefore !== balance) return refused('CHECKSUM_MISMATCH');
    const amount = request.amount ?? balance;
    if (amount > balance) return refused('NOT_CANCELABLE_AMOUNT');
    this.applyCancel(payment, amount, request.reason, request.idempotencyKey);
    const answer: PgCommandResult<PgPayment> = {
      kind: 'ok',
      value: this.view(payment, request.idempotencyKey),
    };
    if (this.provider === 'toss') this.answered.set(request.idempotencyKey, answer);
    return fault === 'lost-answer' ? unknown() : answer;
  }

  async getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    this.calls.push({ op: 'lookup', pgPaymentId });
    const fault = this.takeFault('lookup', pgPaymentId);
    if (fault === 'lost-request' || fault === 'lost-answer') return unknown();
    if (fault !== null && typeof fault === 'object') return refused(fault.refuse);
    const payment = this.payments.get(pgPaymentId);
    return { kind: 'ok', value: payment ? this.view(payment) : null };
  }

  async findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    const found = [...this.payments.values()].reverse().find((p) => p.orderId === orderId);
    if (!found) {
      this.calls.push({ op: 'lookup', pgPaymentId: null });
      return { kind: 'ok', value: null };
    }
    return this.getPayment(found.pgPaymentId);
  }

  private applyCancel(payment: Payment, amount: number, reason: string, key: string | null): PgCancel {
    const cancel: PgCancel = {
      transactionId: `${payment.pgPaymentId}-cancel-${payment.cancels.length + 1}`,
      amount,
      reason,
      canceledAt: this.now(),
      requestKey: key,
    };
    payment.cancels.push(cancel);
    return cancel;
  }

  private balance(payment: Payment): number {
    return payment.status === 'APPROVED'
      ? payment.amount - payment.cancels.reduce((s, c) => s + c.amount, 0)
      : 0;
  }

  /** As the adapters map it; `ownKey`: the key of the cancel this answer is for (Toss tags only that one). */
  private view(payment: Payment, ownKey?: string): PgPayment {
    const balance = this.balance(payment);
    const status =
      payment.status === 'READY'
        ? 'AWAITING'
        : payment.status === 'ABORTED'
          ? 'NOT_APPROVED'
          : balance === 0
            ? 'CANCELED'
            : balance < payment.amount
              ? 'PARTIALLY_CANCELED'
              : 'APPROVED';
    const keyed = (c: PgCancel): PgCancel =>
      this.provider === 'portone' || (ownKey !== undefined && c.requestKey === ownKey)
        ? c
        : { ...c, requestKey: null };
    return {
      provider: this.provider,
      pgPaymentId: payment.pgPaymentId,
      orderId: payment.orderId,
      totalAmount: payment.amount,
      balanceAmount: balance,
      status,
      pgStatus: payment.status,
      approvedAt: payment.approvedAt,
      methodDetail: { method: '카드' },
      cancels: payment.cancels.map(keyed),
    };
  }

  private get(pgPaymentId: string): Payment {
    const payment = this.payments.get(pgPaymentId);
    if (!payment) throw new Error(`no payment ${pgPaymentId}`);
    return payment;
  }

  private takeFault(op: Operation, pgPaymentId: string): Fault | null {
    const always = this.stuck.get(pgPaymentId)?.get(op);
    if (always !== undefined) return always;
    const i = this.faults.findIndex((f) => f.op === op);
    if (i < 0) return null;
    const [taken] = this.faults.splice(i, 1);
    return taken?.fault ?? null;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

const unknown = (): { kind: 'unknown'; reason: string } => ({ kind: 'unknown', reason: 'timeout' });
const refused = (code: string): { kind: 'refused'; code: string; message: string } => ({
  kind: 'refused',
  code,
  message: code,
});
