import {
  MAX_CANCEL_REASON_LENGTH,
  reasonWithKey,
  splitReason,
} from '../../../src/infrastructure/pg/portone/portone-payment.mapper';

describe('our idempotency key in a PortOne cancel reason', () => {
  it('round-trips the text and the key', () => {
    expect(reasonWithKey('고객 요청', 'll-refund-o1-r1')).toBe('고객 요청 [ll-refund-o1-r1]');
    expect(splitReason('고객 요청 [ll-refund-o1-r1]')).toEqual({
      reason: '고객 요청',
      requestKey: 'll-refund-o1-r1',
    });
    expect(splitReason(reasonWithKey('', 'll-void-o1-imp_1'))).toEqual({
      reason: '',
      requestKey: 'll-void-o1-imp_1',
    });
    expect(splitReason('[ll-void-o1-imp_1]')).toEqual({ reason: '', requestKey: 'll-void-o1-imp_1' });
  });

  it('reads only a trailing key of ours', () => {
    for (const stored of ['관리자 콘솔 취소', '메모 [not-ours]', '[ll-x] 뒤에 글', 'a [ll-x] ', '']) {
      expect(splitReason(stored)).toEqual({ reason: stored, requestKey: null });
    }
    expect(splitReason('a [ll-1] [ll-2]')).toEqual({ reason: 'a [ll-1]', requestKey: 'll-2' });
  });

  it('cuts the text, never the key, to stay within the length we send', () => {
    const sent = reasonWithKey('x'.repeat(1000), 'll-refund-o1-r1');
    expect(sent).toHaveLength(MAX_CANCEL_REASON_LENGTH);
    expect(splitReason(sent).requestKey).toBe('ll-refund-o1-r1');
  });
});
