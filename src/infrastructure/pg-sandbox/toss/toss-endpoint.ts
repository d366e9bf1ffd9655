import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
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

/** One API call as the pipeline reads it, whether Express parsed it or a fast path did. */
export interface TossCall {
  method: string;
  /** The path below the sandbox's mount, e.g. `/v1/payments/confirm` (idempotency keys are per path). */
  path: string;
  header(name: string): string | undefined;
  params: Record<string, string>;
  body: unknown;
}

/** Does the operation; `decline` is set when a `decline` fault was armed for this call. */
export type TossHandler = (call: TossCall, decline: boolean) => TossReply;

/** One Toss API route: mounted in Express, or served a call parsed elsewhere. */
export interface TossRoute {
  express: RequestHandler;
  serve(call: TossCall, res: ServerResponse): void;
}

const TEST_CODE = /^[A-Z][A-Z0-9_]*$/;

/** What the transaction decided; the answer is sent (or withheld) only after it commits. */
type Step =
  | { kind: 'reply'; reply: TossReply }
  | { kind: 'hold'; scope: string | null }
  | { kind: 'applied-then-hold' };

/** A Toss answer as Express's `res.status(s).json(body)` writes it (no ETag, as the apps set). */
export function sendTossReply(res: ServerResponse, reply: TossReply): void {
  const text = JSON.stringify(reply.body);
  res.statusCode = reply.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function expressCall(req: Request): TossCall {
  return {
    method: req.method,
    path: req.path,
    header: (name) => req.get(name),
    params: req.params as Record<string, string>,
    body: req.body as unknown,
  };
}

/**
 * The pipeline every Toss API call goes through: count, auth, Idempotency-Key (POST only),
 * TossPayments-Test-Code, injected fault, then the operation and its stored answer. All of it is
 * one savepoint of the turn's transaction (TurnCommit): the count, the key and the change commit
 * together or not at all, and the answer goes out after the commit.
 */
export function createTossEndpoint(deps: TossEndpointDeps) {
  const turn = new TurnCommit(deps.db);

  const decide = deps.db.transaction(
    (
      op: TossOperation,
      orderIdOf: (call: TossCall) => string | null,
      handler: TossHandler,
      call: TossCall,
    ): Step => {
      deps.calls.record(op, orderIdOf(call));
      const denied = checkTossAuth(call.header('authorization'), deps.secretKey);
      if (denied) return { kind: 'reply', reply: denied };

      let scope: string | null = null;
      const key = call.method === 'POST' ? call.header('idempotency-key') : undefined; // GET ignores it
      if (key !== undefined) {
        if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
          return { kind: 'reply', reply: tossError('INVALID_IDEMPOTENCY_KEY') };
        }
        scope = TossIdempotencyStore.scopeOf(deps.secretKey, call.method, call.path, key);
        const begun = deps.idempotency.begin(scope);
        if (begun.kind === 'replay') return { kind: 'reply', reply: begun.reply };
        if (begun.kind === 'processing') {
          return { kind: 'reply', reply: tossError('IDEMPOTENT_REQUEST_PROCESSING') };
        }
      }

      const testCode = call.header('tosspayments-test-code');
      const fault = testCode === undefined ? deps.faults.take('toss', op) : null;
      // Never applied: the key stays "processing" until the client hangs up, then is free.
      if (fault === 'timeout') return { kind: 'hold', scope };
      if (fault === 'http500') {
        if (scope) deps.idempotency.release(scope);
        return { kind: 'reply', reply: tossError('FAILED_INTERNAL_SYSTEM_PROCESSING') };
      }
      const r =
        testCode === undefined
          ? handler(call, fault === 'decline')
          : tossError(TEST_CODE.test(testCode) ? testCode : 'INVALID_REQUEST');
      if (scope) deps.idempotency.complete(scope, r);
      // Applied and stored; only the answer is lost.
      if (fault === 'approve-then-timeout') return { kind: 'applied-then-hold' };
      return { kind: 'reply', reply: r };
    },
  );

  return (
    op: TossOperation,
    orderIdOf: (call: TossCall) => string | null,
    handler: TossHandler,
  ): TossRoute => {
    const serve = (call: TossCall, res: ServerResponse): void => {
      let step: Promise<Step>;
      try {
        step = turn.run(() => decide(op, orderIdOf, handler, call));
      } catch {
        // Rolled back, the count with it: a call that reached the PG still counts.
        deps.calls.record(op, orderIdOf(call));
        return sendTossReply(res, tossError('FAILED_INTERNAL_SYSTEM_PROCESSING'));
      }
      step.then(
        (decided) => act(decided, res),
        () => sendTossReply(res, tossError('FAILED_INTERNAL_SYSTEM_PROCESSING')),
      );
    };
    return { express: (req, res) => serve(expressCall(req), res), serve };
  };

  function act(step: Step, res: ServerResponse): void {
    if (step.kind === 'reply') return sendTossReply(res, step.reply);
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
    holdUntilClientGivesUp(res);
  }
}
