import type { Request, RequestHandler, Response } from 'express';
import type { Database } from 'better-sqlite3';
import type { FaultRegistry } from '../fault-registry';
import { holdUntilClientGivesUp } from '../hold-until-client-gives-up';
import { TurnCommit } from '../turn-commit';
import { checkTossAuth } from './toss-auth';
import type { TossCallCounter, TossOperation } from './toss-call.counter';
import { tossError, type TossReply } from './toss-error-codes';
import { IDEMPOTENCY_KEY_MAX_LENGTH, TossIdempotencyStore } from './toss-idempotency.store';

export interface TossEndpointDeps {
  db: Database;
  secretKey: string;
  calls: TossCallCounter;
  idempotency: TossIdempotencyStore;
  faults: FaultRegistry;
}

/** Does the operation; `decline` is set when a `decline` fault was armed for this call. */
export type TossHandler = (req: Request, decline: boolean) => TossReply;

const TEST_CODE = /^[A-Z][A-Z0-9_]*$/;

/** What the transaction decided; the answer is sent (or withheld) only after it commits. */
type Step =
  | { kind: 'reply'; reply: TossReply }
  | { kind: 'hold'; scope: string | null }
  | { kind: 'applied-then-hold' };

/**
 * The pipeline every Toss API call goes through: count, auth, Idempotency-Key (POST only),
 * TossPayments-Test-Code, injected fault, then the operation and its stored answer. All of it is
 * one savepoint of the turn's transaction (TurnCommit): the count, the key and the change commit
 * together or not at all, and the answer goes out after the commit.
 */
export function createTossEndpoint(deps: TossEndpointDeps) {
  const turn = new TurnCommit(deps.db);
  const reply = (res: Response, r: TossReply): void => void res.status(r.status).json(r.body);

  const decide = deps.db.transaction(
    (
      op: TossOperation,
      orderIdOf: (req: Request) => string | null,
      handler: TossHandler,
      req: Request,
    ): Step => {
      deps.calls.record(op, orderIdOf(req));
      const denied = checkTossAuth(req.get('authorization'), deps.secretKey);
      if (denied) return { kind: 'reply', reply: denied };

      let scope: string | null = null;
      const key = req.method === 'POST' ? req.get('idempotency-key') : undefined; // GET ignores it
      if (key !== undefined) {
        if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
          return { kind: 'reply', reply: tossError('INVALID_IDEMPOTENCY_KEY') };
        }
        scope = TossIdempotencyStore.scopeOf(deps.secretKey, req.method, req.path, key);
        const begun = deps.idempotency.begin(scope);
        if (begun.kind === 'replay') return { kind: 'reply', reply: begun.reply };
        if (begun.kind === 'processing') {
          return { kind: 'reply', reply: tossError('IDEMPOTENT_REQUEST_PROCESSING') };
        }
      }

      const testCode = req.get('tosspayments-test-code');
      const fault = testCode === undefined ? deps.faults.take('toss', op) : null;
      // Never applied: the key stays "processing" until the client hangs up, then is free.
      if (fault === 'timeout') return { kind: 'hold', scope };
      if (fault === 'http500') {
        if (scope) deps.idempotency.release(scope);
        return { kind: 'reply', reply: tossError('FAILED_INTERNAL_SYSTEM_PROCESSING') };
      }
      const r =
        testCode === undefined
          ? handler(req, fault === 'decline')
          : tossError(TEST_CODE.test(testCode) ? testCode : 'INVALID_REQUEST');
      if (scope) deps.idempotency.complete(scope, r);
      // Applied and stored; only the answer is lost.
      if (fault === 'approve-then-timeout') return { kind: 'applied-then-hold' };
      return { kind: 'reply', reply: r };
    },
  );

  return (
      op: TossOperation,
      orderIdOf: (req: Request) => string | null,
      handler: TossHandler,
    ): RequestHandler =>
    (req, res) => {
      let step: Promise<Step>;
      try {
        step = turn.run(() => decide(op, orderIdOf, handler, req));
      } catch (err) {
        // Rolled back, the count with it: a call that reached the PG still counts.
        deps.calls.record(op, orderIdOf(req));
        throw err;
      }
      step.then(
        (decided) => act(decided, req, res),
        () => reply(res, tossError('FAILED_INTERNAL_SYSTEM_PROCESSING')),
      );
    };

  function act(step: Step, req: Request, res: Response): void {
    if (step.kind === 'reply') return reply(res, step.reply);
    if (step.kind === 'hold' && step.scope) {
      const held = step.scope;
      res.on('close', () => {
        try {
          deps.idempotency.release(held);
        } catch {
          // DB already closed (shutdown): the next start clears "processing" keys anyway.
        }
      });
    }
    holdUntilClientGivesUp(req, res);
  }
}
