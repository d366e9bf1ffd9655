/*
 * Where the PG's window comes back to (Toss's successUrl, PortOne's callback): the shop asks the
 * service to confirm (POST /v1/payments/confirm) and shows approved, pending or refused. A refresh
 * confirms again; the service answers with the first result and calls the PG only once (C8).
 */
import {
  PAYMENT_STATUS,
  api,
  describeProblem,
  h,
  notice,
  payOrder,
  provider,
  renderAccountBar,
  show,
  statusBadge,
  when,
  won,
} from './shop.js';

const params = new URLSearchParams(location.search);
const POLL_MS = 2000;
const POLLS = 30;

function confirmBody() {
  if (params.get('paymentKey')) {
    return {
      provider: 'toss',
      paymentKey: params.get('paymentKey'),
      orderId: params.get('orderId'),
      amount: Number(params.get('amount')),
    };
  }
  if (params.get('imp_uid'))
    return { provider: 'portone', impUid: params.get('imp_uid'), orderId: params.get('merchant_uid') };
  return null;
}

function methodText(payment) {
  const d = payment.methodDetail || {};
  if (d.cardIssuerName || d.cardIssuerCode)
    return `${d.method || '카드'} · ${d.cardIssuerName || d.cardIssuerCode}${d.cardNumber ? ` ${d.cardNumber}` : ''}`;
  if (d.easyPayProvider) return `${d.method || '간편결제'} · ${d.easyPayProvider}`;
  return payment.method || '-';
}

function approved(payment) {
  return [
    h('p', { class: 'big' }, statusBadge(payment.status, PAYMENT_STATUS)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '상품'),
      h('dd', {}, payment.orderName),
      h('dt', {}, '결제 금액'),
      h('dd', { id: 'paid-amount' }, won(payment.amount)),
      h('dt', {}, '결제 수단'),
      h('dd', {}, methodText(payment)),
      h('dt', {}, '승인 시각'),
      h('dd', {}, when(payment.approvedAt)),
      h('dt', {}, '주문번호'),
      h('dd', { class: 'mono' }, payment.orderId),
    ),
    h(
      'p',
      { class: 'actions' },
      h('a', { class: 'button primary', href: '/shop/account', id: 'to-account' }, '내 구독·결제 내역 보기'),
      h('a', { class: 'button', href: '/' }, '계속 쇼핑하기'),
    ),
  ];
}

async function retryButton(orderId) {
  const res = await api('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
  if (!res.ok || res.data.status !== 'PENDING') return null;
  return h(
    'p',
    { class: 'actions' },
    h(
      'span',
      { class: 'hint', id: 'order-status', 'data-status': res.data.status },
      '이 주문은 아직 결제할 수 있습니다. ',
    ),
    h(
      'button',
      { type: 'button', class: 'primary', id: 'retry', onclick: () => payOrder(res.data, provider.get()) },
      '다시 결제하기',
    ),
  );
}

async function refused(res, orderId) {
  const problem = res.data || {};
  return [
    h(
      'p',
      { class: 'big' },
      h(
        'span',
        { class: 'badge status-REJECTED', 'data-status': 'REFUSED', 'data-code': problem.code },
        `결제 실패 (${problem.code || res.status})`,
      ),
    ),
    notice('error', describeProblem(res)),
    problem.pgCode ? h('p', { class: 'hint' }, `PG 코드: ${problem.pgCode}`) : null,
    orderId ? await retryButton(orderId) : null,
  ];
}

function pending(orderId) {
  return [
    h('p', { class: 'big' }, statusBadge('PENDING', PAYMENT_STATUS)),
    notice(
      'info',
      'PG의 응답을 기다리고 있습니다. 결과가 나오면 이 화면이 바뀝니다. 결제가 두 번 되지는 않습니다.',
    ),
    h('button', { type: 'button', onclick: () => poll(orderId, 1) }, '지금 다시 확인'),
  ];
}

let timer = null;

/** One polling chain at a time: "check now" restarts it rather than adding another. */
async function poll(orderId, round) {
  clearTimeout(timer);
  const res = await api('GET', `/v1/payments/${encodeURIComponent(orderId)}`);
  if (res.ok && res.data.status !== 'PENDING') return render(res, orderId);
  if (round < POLLS) timer = setTimeout(() => poll(orderId, round + 1), POLL_MS);
}

async function render(res, orderId) {
  if (res.status === 202 || (res.ok && res.data.status === 'PENDING')) {
    show('result', pending(orderId));
    clearTimeout(timer);
    timer = setTimeout(() => poll(orderId, 1), POLL_MS);
    return;
  }
  if (res.ok && res.data.status === 'REJECTED') {
    return show(
      'result',
      await refused(
        {
          status: 422,
          data: {
            code: 'PAYMENT_REJECTED',
            detail: res.data.failure?.message,
            pgCode: res.data.failure?.code,
          },
        },
        orderId,
      ),
    );
  }
  if (res.ok) return show('result', approved(res.data));
  show('result', await refused(res, orderId));
}

async function main() {
  renderAccountBar();
  const body = confirmBody();
  if (!body)
    return show('result', notice('error', '결제 정보가 없습니다. 상품 페이지에서 다시 시작해 주세요.'));
  if (params.get('imp_success') === 'false') {
    return show(
      'result',
      await refused(
        { status: 400, data: { code: 'PAYMENT_REJECTED', detail: params.get('error_msg') } },
        body.orderId,
      ),
    );
  }
  const res = await api('POST', '/v1/payments/confirm', body);
  await render(res, body.orderId);
}

main().catch(() => show('result', notice('error', '서버에 연결하지 못했습니다. 새로고침해 주세요.')));
