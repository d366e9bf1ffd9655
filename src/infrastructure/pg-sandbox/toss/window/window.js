/*
 * The Toss-like payment window. The buyer picks a card or an easy-pay provider and the sandbox
 * outcome; an approval creates a session (POST sessions) and redirects to
 * successUrl?paymentKey&orderId&amount, a refusal or a cancel to failUrl?code&message&orderId,
 * as Toss's window does. Query values are only ever written as text, never as HTML.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var order = {
    orderId: params.get('orderId') || '',
    orderName: params.get('orderName') || '',
    amount: Number(params.get('amount')),
  };
  var successUrl = safeUrl(params.get('successUrl'));
  var failUrl = safeUrl(params.get('failUrl'));
  var form = document.getElementById('pay');
  var button = document.getElementById('pay-button');
  var method = params.get('method') === '간편결제' ? '간편결제' : '카드';

  var FAILURES = {
    decline: {
      code: 'REJECT_CARD_COMPANY',
      message: '카드사에서 결제를 거절했습니다. (잔액 부족 또는 한도 초과)',
    },
    cancel: { code: 'PAY_PROCESS_CANCELED', message: '사용자에 의해 결제가 취소되었습니다.' },
  };

  /** Only http(s) or same-site paths: a javascript: URL must never be followed. */
  function safeUrl(value) {
    if (!value || !/^(https?:\/\/|\/(?!\/))/i.test(value)) return null;
    try {
      return new URL(value, location.href);
    } catch {
      return null;
    }
  }

  function won(amount) {
    return amount.toLocaleString('ko-KR') + '원';
  }

  function showError(message) {
    var box = document.getElementById('error');
    box.textContent = message;
    box.hidden = false;
  }

  function selectMethod(next) {
    method = next;
    document.getElementById('tab-card').setAttribute('aria-selected', String(next === '카드'));
    document.getElementById('tab-easy').setAttribute('aria-selected', String(next === '간편결제'));
    document.getElementById('cards').hidden = next !== '카드';
    document.getElementById('easy-pays').hidden = next !== '간편결제';
  }

  function redirect(base, values) {
    var target = new URL(base.href);
    Object.keys(values).forEach(function (key) {
      target.searchParams.set(key, String(values[key]));
    });
    location.assign(target.href);
  }

  function fail(failure) {
    var values = { code: failure.code, message: failure.message };
    if (order.orderId) values.orderId = order.orderId;
    if (failUrl) return redirect(failUrl, values);
    showError('[' + failure.code + '] ' + failure.message);
  }

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  async function pay() {
    var outcome = checked('outcome');
    if (outcome === 'decline') return fail(FAILURES.decline);
    var body = {
      orderId: order.orderId,
      orderName: order.orderName,
      amount: order.amount,
      method: method,
      outcome: outcome === 'decline-at-confirm' ? 'decline' : 'approve',
    };
    if (method === '카드') body.cardIssuerCode = checked('card');
    else body.easyPayProvider = checked('easyPay');
    button.disabled = true;
    button.textContent = '결제 진행 중…';
    var res = await fetch('sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    var data = await res.json().catch(function () {
      return {};
    });
    if (!res.ok)
      return fail({
        code: data.code || 'PAY_PROCESS_ABORTED',
        message: data.message || '결제에 실패했습니다.',
      });
    var values = { paymentKey: data.paymentKey, orderId: data.orderId, amount: data.amount };
    if (successUrl) return redirect(successUrl, values);
    document.getElementById('result-json').textContent = JSON.stringify(values, null, 2);
    document.getElementById('result').hidden = false;
    form.hidden = true;
  }

  document.getElementById('order-name').textContent = order.orderName;
  document.getElementById('order-id').textContent = order.orderId;
  document.getElementById('tab-card').addEventListener('click', function () {
    selectMethod('카드');
  });
  document.getElementById('tab-easy').addEventListener('click', function () {
    selectMethod('간편결제');
  });
  document.getElementById('close').addEventListener('click', function () {
    fail(FAILURES.cancel);
  });
  selectMethod(method);

  var valid =
    /^[A-Za-z0-9_-]{6,64}$/.test(order.orderId) &&
    order.orderName &&
    Number.isInteger(order.amount) &&
    order.amount > 0;
  if (!valid) {
    showError('잘못된 결제 요청입니다: orderId, orderName, amount 를 확인해 주세요.');
    button.disabled = true;
  } else {
    document.getElementById('amount').textContent = won(order.amount);
    button.textContent = won(order.amount) + ' 결제하기';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    pay().catch(function () {
      button.disabled = false;
      button.textContent = won(order.amount) + ' 결제하기';
      showError('결제 서버에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.');
    });
  });
})();
