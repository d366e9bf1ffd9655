import type { AxiosResponse } from 'axios';
import {
  TOSS_ALREADY_CANCELLED,
  TOSS_ALREADY_CONFIRMED,
  classifyTossCommand,
  classifyTossLookup,
} from '../../../src/infrastructure/pg/toss/toss-response.classifier';

const answer = (status: number, data: unknown): AxiosResponse<unknown> =>
  ({ status, data, statusText: '', headers: {}, config: {} }) as AxiosResponse<unknown>;

const payment = {
  paymentKey: 'tgen_1',
  orderId: 'order_1',
  status: 'PARTIAL_CANCELED',
  totalAmount: 10_000,
  balanceAmount: 5_000,
  lastTransactionKey: 'tx_2',
  cancels: [
    {
      transactionKey: 'tx_1',
      cancelAmount: 3_000,
      cancelReason: 'a',
      canceledAt: '2025-03-01T09:00:00+09:00',
    },
    {
      transactionKey: 'tx_2',
      cancelAmount: 2_000,
      cancelReason: 'b',
      canceledAt: '2025-03-01T09:01:00+09:00',
    },
  ],
};

describe('Toss answers to a cancel', () => {
  it('gives the request key to the cancel named by lastTransactionKey only', () => {
    const result = classifyTossCommand(answer(200, payment), TOSS_ALREADY_CANCELLED, 'll-refund-b');
    expect(result.kind === 'ok' && result.value.cancels.map((c) => c.requestKey)).toEqual([
      null,
      'll-refund-b',
    ]);
  });

  it('gives no cancel the key when lastTransactionKey is missing', () => {
    const { lastTransactionKey: _omitted, ...withoutLast } = payment;
    const result = classifyTossCommand(answer(200, withoutLast), TOSS_ALREADY_CANCELLED, 'll-refund-b');
    expect(result.kind === 'ok' && result.value.cancels.map((c) => c.requestKey)).toEqual([null, null]);
  });

  it.each(['ALREADY_CANCELED_PAYMENT', 'ALREADY_REFUND_PAYMENT'])(
    'classifies 400 %s as already_done',
    (code) => {
      expect(classifyTossCommand(answer(400, { code, message: 'm' }), TOSS_ALREADY_CANCELLED, 'k')).toEqual({
        kind: 'already_done',
        code,
        message: 'm',
      });
    },
  );

  it('keeps ALREADY_PROCESSED_PAYMENT a refusal of a cancel, and other codes refusals', () => {
    for (const code of ['ALREADY_PROCESSED_PAYMENT', 'NOT_CANCELABLE_PAYMENT']) {
      expect(classifyTossCommand(answer(400, { code, message: 'm' }), TOSS_ALREADY_CANCELLED, 'k').kind).toBe(
        'refused',
      );
    }
  });
});

describe('Toss answers to a confirm and a lookup', () => {
  it('classifies ALREADY_PROCESSED_PAYMENT as already_done for a confirm', () => {
    const res = answer(400, { code: 'ALREADY_PROCESSED_PAYMENT', message: '이미 처리된 결제 입니다.' });
    expect(classifyTossCommand(res, TOSS_ALREADY_CONFIRMED, null).kind).toBe('already_done');
  });

  it('reads a lookup with every requestKey null, and 404 NOT_FOUND_PAYMENT as null', () => {
    const found = classifyTossLookup(answer(200, payment));
    expect(found.kind === 'ok' && found.value?.cancels.map((c) => c.requestKey)).toEqual([null, null]);
    expect(classifyTossLookup(answer(404, { code: 'NOT_FOUND_PAYMENT', message: 'm' }))).toEqual({
      kind: 'ok',
      value: null,
    });
  });

  it('is unknown on a 5xx or on IDEMPOTENT_REQUEST_PROCESSING, whatever the call', () => {
    const busy = answer(409, { code: 'IDEMPOTENT_REQUEST_PROCESSING', message: 'm' });
    expect(classifyTossCommand(busy, TOSS_ALREADY_CANCELLED, 'k').kind).toBe('unknown');
    expect(
      classifyTossCommand(answer(500, { code: 'X', message: 'm' }), TOSS_ALREADY_CONFIRMED, null).kind,
    ).toBe('unknown');
  });
});
