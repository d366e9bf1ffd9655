/*
 * The buyer's own page: the subscription with its periods (GET /v1/users/me/subscription), the
 * payment history (GET /v1/users/me/payments), and a refund request per payment
 * (POST /v1/payments/:orderId/refunds).
 */
import {
  PAYMENT_STATUS,
  REFUND_STATUS,
  SUBSCRIPTION_STATUS,
  api,
  describeProblem,
  h,
  notice,
  renderAccountBar,
  session,
  show,
  statusBadge,
  when,
  won,
} from './shop.js';

const message = (kind, text) => show('message', notice(kind, text));
let cursor = null;

async function loadSubscription() {
  const res = await api('GET', '/v1/users/me/subscription');
  if (res.status === 404)
    return show('subscription', h('p', { class: 'hint', id: 'no-subscription' }, '아직 구독이 없습니다.'));
  if (!res.ok) return show('subscription', notice('error', describeProblem(res)));
  const s = res.data;
  show(
    'subscription',
    h(
      'p',
      { class: 'big', id: 'subscription-status' },
      statusBadge(s.status, SUBSCRIPTION_STATUS),
      ` ${s.planName}`,
    ),
    h('p', {}, `기간: ${when(s.periodStart)} ~ ${when(s.periodEnd)}`),
    s.periods.length === 0
      ? null
      : h(
          'table',
          { id: 'periods' },
          h('caption', {}, '이용 기간'),
          h('thead', {}, h('tr', {}, h('th', {}, '상품'), h('th', {}, '시작'), h('th', {}, '종료'))),
          h(
            'tbody',
            {},
            s.periods.map((p) =>
              h(
                'tr',
                { 'data-order-id': p.orderId },
                h('td', {}, p.planName),
                h('td', {}, when(p.start)),
                h('td', {}, when(p.end)),
              ),
            ),
          ),
        ),
    s.queued.length === 0
      ? null
      : h(
          'p',
          { class: 'hint' },
          `예약된 구독: ${s.queued.map((q) => `${q.planName} ${q.months}개월`).join(', ')} (현재 기간이 끝나면 시작)`,
        ),
  );
}

function refundForm(payment) {
  const balance = payment.amount - payment.refundedAmount;
  const amount = h('input', {
    type: 'number',
    name: 'amount',
    min: 1,
    max: balance,
    placeholder: `전액 ${won(balance)}`,
    'aria-label': '환불 금액',
  });
  const reason = h('input', {
    name: 'reason',
    value: '단순 변심',
    required: true,
    maxlength: 200,
    'aria-label': '환불 사유',
  });
  return h(
    'form',
    {
      class: 'refund row',
      'data-order-id': payment.orderId,
      onsubmit: async (event) => {
        event.preventDefault();
        event.submitter.disabled = true;
        const body = { reason: reason.value.trim() };
        if (amount.value) body.amount = Number(amount.value);
        const res = await api('POST', `/v1/payments/${encodeURIComponent(payment.orderId)}/refunds`, body);
        if (res.status === 201)
          message('info', `${won(res.data.amount ?? body.amount ?? balance)} 환불이 완료되었습니다.`);
        else if (res.status === 202) message('info', '환불을 요청했습니다. PG의 응답을 기다리는 중입니다.');
        else message('error', describeProblem(res));
        await reload();
      },
    },
    amount,
    reason,
    h('button', { type: 'submit' }, '환불 요청'),
  );
}

function methodText(p) {
  const d = p.methodDetail || {};
  return [d.method || p.method, d.cardIssuerName, d.easyPayProvider].filter(Boolean).join(' · ') || '-';
}

function paymentItem(p) {
  const refundable =
    (p.status === 'APPROVED' || p.status === 'PARTIALLY_REFUNDED') && p.amount > p.refundedAmount;
  return h(
    'li',
    { class: 'payment', 'data-order-id': p.orderId, 'data-status': p.status },
    h('div', { class: 'row spread' }, h('strong', {}, p.orderName), statusBadge(p.status, PAYMENT_STATUS)),
    h(
      'p',
      { class: 'hint' },
      `${won(p.amount)} · ${methodText(p)} · ${p.provider === 'portone' ? '포트원' : '토스페이먼츠'} · ${when(p.approvedAt || p.createdAt)}`,
    ),
    p.refundedAmount > 0 ? h('p', {}, `환불된 금액: ${won(p.refundedAmount)}`) : null,
    p.refunds.length === 0
      ? null
      : h(
          'ul',
          { class: 'refunds' },
          p.refunds.map((r) =>
            h(
              'li',
              {},
              `환불 ${won(r.amount)} · ${REFUND_STATUS[r.status] || r.status} · ${r.reason} · ${when(r.requestedAt)}`,
            ),
          ),
        ),
    refundable ? refundForm(p) : null,
  );
}

async function loadPayments(append) {
  const query = new URLSearchParams({ limit: '20' });
  if (append && cursor) query.set('cursor', cursor);
  const res = await api('GET', `/v1/users/me/payments?${query}`);
  if (!res.ok) return show('payments', notice('error', describeProblem(res)));
  cursor = res.data.nextCursor;
  document.getElementById('more').hidden = !cursor;
  const items = res.data.items.map(paymentItem);
  if (append) return document.getElementById('payment-list').append(...items);
  if (items.length === 0) return show('payments', h('p', { class: 'hint' }, '결제 내역이 없습니다.'));
  show('payments', h('ul', { id: 'payment-list', class: 'payments' }, items));
}

async function reload() {
  await Promise.all([loadSubscription(), loadPayments(false)]);
}

renderAccountBar();
document.getElementById('more').addEventListener('click', () => loadPayments(true));
if (!session.token) {
  show('subscription', notice('error', '로그인이 필요합니다.'), h('a', { href: '/' }, '로그인하러 가기'));
  show('payments', h('p', { class: 'hint' }, '-'));
} else {
  reload().catch(() => message('error', '서버에 연결하지 못했습니다.'));
}
