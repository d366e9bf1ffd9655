/*
 * Toss's failUrl (?code&message&orderId) and a failed PortOne callback land here. Nothing was
 * approved, so there is nothing to confirm: the page says why, and offers the same order again
 * while it is still payable.
 */
import { api, h, notice, payOrder, provider, renderAccountBar, show } from './shop.js';

const params = new URLSearchParams(location.search);

async function main() {
  renderAccountBar();
  const code = params.get('code') || 'UNKNOWN';
  const orderId = params.get('orderId');
  const parts = [
    h(
      'p',
      { class: 'big' },
      h('span', { class: 'badge status-REJECTED', id: 'fail-code', 'data-code': code }, code),
    ),
    notice('error', params.get('message') || '결제에 실패했습니다.'),
  ];
  show('result', parts);
  if (!orderId) return;
  const res = await api('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
  if (!res.ok) return;
  const order = res.data;
  const payable = order.status === 'PENDING';
  parts.push(
    h(
      'p',
      { id: 'order-status', 'data-status': order.status },
      payable ? `주문 "${order.orderName}" 은(는) 아직 결제할 수 있습니다.` : `주문 상태: ${order.status}`,
    ),
  );
  if (payable) {
    const pg = params.get('provider') || provider.get();
    parts.push(
      h(
        'p',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'primary', id: 'retry', onclick: () => payOrder(order, pg) },
          '다시 결제하기',
        ),
        h('a', { class: 'button', href: '/' }, '상품으로 돌아가기'),
      ),
    );
  }
  show('result', parts);
}

main().catch(() => show('result', notice('error', '서버에 연결하지 못했습니다.')));
