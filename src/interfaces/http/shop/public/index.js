import {
  api,
  describeProblem,
  h,
  login,
  notice,
  payOrder,
  provider,
  renderAccountBar,
  session,
  show,
  won,
} from './shop.js';

const message = (kind, text) => show('message', notice(kind, text));

function renderLogin() {
  document.getElementById('login-card').hidden = Boolean(session.token);
  renderAccountBar();
}

async function buy(plan, amountInput) {
  if (!session.token) {
    renderLogin();
    return message('error', '먼저 로그인해 주세요.');
  }
  const body = { planId: plan.id };
  if (plan.type === 'EVENT') body.amount = Number(amountInput.value);
  const res = await api('POST', '/v1/orders', body);
  if (!res.ok) {
    renderLogin();
    return message('error', describeProblem(res));
  }
  const pg = document.querySelector('input[name="pg"]:checked').value;
  message('info', `주문 ${res.data.orderId} 을(를) 만들었습니다. 결제창을 엽니다…`);
  await payOrder(res.data, pg);
}

function planCard(plan) {
  if (plan.type === 'EVENT') {
    const amount = h('input', {
      type: 'number',
      id: `amount-${plan.id}`,
      name: 'amount',
      min: plan.minAmount,
      max: plan.maxAmount,
      step: 1000,
      value: 10000,
      required: true,
    });
    const form = h(
      'form',
      {
        class: 'plan-action',
        onsubmit: (event) => {
          event.preventDefault();
          buy(plan, amount);
        },
      },
      h('label', { for: amount.id }, '후원 금액 (원)'),
      amount,
      h('button', { type: 'submit', class: 'primary', 'data-plan': plan.id }, '후원하기'),
    );
    return h(
      'article',
      { class: 'plan', 'data-plan-id': plan.id },
      h('h3', {}, plan.name),
      h('p', { class: 'hint' }, `${won(plan.minAmount)} ~ ${won(plan.maxAmount)}, 원하는 만큼`),
      form,
    );
  }
  return h(
    'article',
    { class: 'plan', 'data-plan-id': plan.id },
    h('h3', {}, plan.name),
    h('p', { class: 'price' }, won(plan.price), h('small', {}, ` / ${plan.months}개월`)),
    h(
      'button',
      { type: 'button', class: 'primary', 'data-plan': plan.id, onclick: () => buy(plan) },
      '구독하기',
    ),
  );
}

async function loadPlans() {
  const res = await api('GET', '/v1/plans');
  if (!res.ok) return show('plans', notice('error', '상품 목록을 불러오지 못했습니다.'));
  show('plans', res.data.items.map(planCard));
}

async function loadEventFund() {
  const res = await api('GET', '/v1/event-fund');
  if (res.ok) {
    document.getElementById('event-fund').textContent =
      `지금까지 ${res.data.contributions}건, 총 ${won(res.data.total)}이 모였습니다.`;
  }
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const userId = document.getElementById('user-id').value.trim();
  const res = await login(userId);
  if (!res.ok) return message('error', describeProblem(res));
  renderLogin();
  message('info', `${userId} 님으로 로그인했습니다.`);
});

for (const radio of document.querySelectorAll('input[name="pg"]')) {
  radio.checked = radio.value === provider.get();
  radio.addEventListener('change', () => provider.set(radio.value));
}

renderLogin();
loadPlans();
loadEventFund();
