import type { Request, RequestHandler, Response } from 'express';
import type { Database } from 'better-sqlite3';
import type { FaultRegistry } from '../fault-registry';
import { holdUntilClientGivesUp } from '../hold-until-client-gives-up';
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

/**
 * The pipeline every Toss API call goes through: count, auth, Idempotency-Key (POST only),
 * TossPayments-Test-Code, injected fault, then the operation and its stored answer in one
 * SQLite transaction.
 */
export function createTossEndpoint(deps: TossEndpointDeps) {
  const reply = (res: Response, r: TossReply): void => void res.status(r.status).json(r.body);

  return (
      op: TossOperation,
      orderIdOf: (req: Request) => string | null,
      handler: TossHandler,
    ): RequestHandler =>
    (req, res) => {
      deps.calls.record(op, orderIdOf(req));
      const denied = checkTossAuth(req.get('authorization'), deps.secretKey);
      if (denied) return reply(res, denied);

      let scope: string | null = null;
      const key = req.method === 'POST' ? req.get('idempotency-key') : undefined; // GET ignores it
      if (key !== undefined) {
        if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
          return reply(res, tossError('INVALID_IDEMPOTENCY_KEY'));
        }
        scope = TossIdempotencyStore.scopeOf(deps.secretKey, req.method, req.path, key);
        const begun = deps.idempotency.begin(scope);
        if (begun.kind === 'replay') return reply(res, begun.reply);
        if (begun.kind === 'processing') return reply(res, tossError('IDEMPOTENT_REQUEST_PROCESSING'));
      }
      const held = scope;
      const release = (): void => {
        if (held) deps.idempotency.release(held);
      };

      try {
        const testCode = req.get('tosspayments-test-code');
        const fault = testCode === undefined ? deps.faults.take('toss', op) : null;
        if (fault === 'timeout') {
          // Never applied: the key stays "processing" until the client hangs up, then is free.
          res.on('close', () => {
            try {
              release();
            } catch {
              // DB already closed (shutdown): the next start clears "processing" keys anyway.
            }
          });
          return holdUntilClientGivesUp(req, res);
        }
        if (fault === 'http500') {
          release();
          return reply(res, tossError('FAILED_INTERNAL_SYSTEM_PROCESSING'));
        }
        const result = deps.db.transaction((): TossReply => {
          const r =
            testCode === undefined
              ? handler(req, fault === 'decline')
              : tossError(TEST_CODE.test(testCode) ? testCode : 'INVALID_REQUEST');
          if (held) deps.idempotency.complete(held, r);
          return r;
        })();
        // Applied and stored; only the answer is lost.
        if (fault === 'approve-then-timeout') return holdUntilClientGivesUp(req, res);
        return reply(res, result);
      } catch (err) {
        release();
        throw err;
      }
    };
}
