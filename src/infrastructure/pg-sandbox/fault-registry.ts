/**
 * Faults the sandbox PGs inject on their next calls (`POST /sandbox/faults`).
 * - timeout: the PG never answers in time and does not apply the request.
 * - http500: the PG answers 500 without applying the request.
 * - approve-then-timeout: the PG applies the request, then its answer is lost.
 * - decline: the PG refuses (a card refusal on confirm, a refusal on cancel).
 */
export type FaultKind = 'timeout' | 'http500' | 'approve-then-timeout' | 'decline';
export const FAULT_KINDS: readonly FaultKind[] = ['timeout', 'http500', 'approve-then-timeout', 'decline'];

export type SandboxProvider = 'toss' | 'portone';

/**
 * Operations a fault can target. toss: confirm, lookup (GET by paymentKey or orderId), cancel.
 * portone: token (getToken), lookup (GET /payments/{imp_uid} and /payments/find), cancel.
 * `confirm` on portone targets GET /payments/{imp_uid}, which is what confirmation uses.
 */
export type SandboxOperation = 'confirm' | 'lookup' | 'cancel' | 'token';
export const SANDBOX_OPERATIONS: readonly SandboxOperation[] = ['confirm', 'lookup', 'cancel', 'token'];

interface Armed {
  kind: FaultKind;
  remaining: number;
}

export class FaultRegistry {
  private readonly armed = new Map<string, Armed[]>();

  add(provider: SandboxProvider, operation: SandboxOperation, kind: FaultKind, times: number): void {
    const key = `${provider}:${operation}`;
    const list = this.armed.get(key) ?? [];
    list.push({ kind, remaining: times });
    this.armed.set(key, list);
  }

  /** Consumes one occurrence of the oldest fault armed for this operation, if any. */
  take(provider: SandboxProvider, operation: SandboxOperation): FaultKind | null {
    const list = this.armed.get(`${provider}:${operation}`);
    const head = list?.[0];
    if (!list || !head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) list.shift();
    return head.kind;
  }

  clear(): void {
    this.armed.clear();
  }
}
