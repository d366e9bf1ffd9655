/*
 * The PortOne-like payment window, opened by iamport.js inside the merchant's page. The payment
 * is made here (POST sessions): PortOne then sends its webhook to the merchant's service, and the
 * window hands { success, imp_uid, merchant_uid, ... } to the page that opened it.
 */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var payment = {
    merchant_uid: params.get('merchant_uid') || '',
    name: params.get('name') || '',
    amount: Number(params.get('amount')),
    buyer_name: params.get('buyer_name') || undefined,
    buyer_email: params.get('buyer_email') || undefined,
    buyer_tel: params.get('buyer_tel') || undefined,
  };
  var form = document.getElementById('pay');
  var button = document.getElementById('pay-button');
  var embedded = window.parent !== window;

  function won(amount) {
    return amount.toLocaleString('ko-KR') + '원';
  }

  function done(rsp) {
    if (embedded) return window.parent.postMessage({ type: 'imp:done', rsp: rsp }, '*');
    form.hidden = true;
    document.getElementById('result-json').textContent = JSON.stringify(rsp, null, 2);
    document.getElementById('result').hidden = false;
  }

  function failure(impUid, message) {
    return {
      success: false,
      imp_uid: impUid,
      merchant_uid: payment.merchant_uid,
      error_code: 'F400',
      error_msg: message,
      status: 'failed',
    };
  }

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  async function pay() {
    var payMethod = checked('pay_method');
    var body = Object.assign({}, payment, { pay_method: payMethod, outcome: checked('outcome') });
    if (payMethod === 'card') body.card_code = form.elements.card_code.value;
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
    if (!res.ok) return done(failure(null, '[결제실패] ' + (data.message || '결제에 실패했습니다.')));
    if (data.status !== 'paid')
      return done(failure(data.imp_uid, '[결제실패] ' + (data.fail_reason || '결제에 실패했습니다.')));
    done({
      success: true,
      imp_uid: data.imp_uid,
      merchant_uid: data.merchant_uid,
      pay_method: payMethod,
      paid_amount: payment.amount,
      currency: 'KRW',
      name: payment.name,
      status: 'paid',
    });
  }

  document.getElementById('name').textContent = payment.name;
  document.getElementById('merchant-uid').textContent = payment.merchant_uid;
  form.addEventListener('change', function () {
    document.getElementById('cards').hidden = checked('pay_method') !== 'card';
  });
  document.getElementById('close').addEventListener('click', function () {
    done(failure(null, '[결제포기] 사용자가 결제를 취소하셨습니다'));
  });
  if (!payment.merchant_uid || !payment.name || !(Number.isInteger(payment.amount) && payment.amount > 0)) {
    var box = document.getElementById('error');
    box.textContent = '잘못된 결제 요청입니다: merchant_uid, name, amount 를 확인해 주세요.';
    box.hidden = false;
    button.disabled = true;
  } else {
    document.getElementById('amount').textContent = won(payment.amount);
    button.textContent = won(payment.amount) + ' 결제하기';
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    pay().catch(function () {
      done(failure(null, '[결제실패] 결제 서버에 연결하지 못했습니다.'));
    });
  });
})();
