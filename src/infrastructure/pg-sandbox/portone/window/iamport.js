/*
 * The sandbox's stand-in for PortOne's v1 browser SDK (iamport.js): IMP.init(code), then
 * IMP.request_pay(params, callback). As PortOne does, the payment is made inside the window (an
 * overlay here), the PG sends its webhook to the merchant's service, and the page gets
 * { success, imp_uid, merchant_uid, ... } back in the callback; with no callback it goes to
 * m_redirect_url?imp_uid&merchant_uid&imp_success, as PortOne's redirect mode does.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var windowUrl = new URL('window', script ? script.src : location.href);
  var userCode = null;
  var PARAMS = [
    'pg',
    'pay_method',
    'merchant_uid',
    'name',
    'amount',
    'buyer_name',
    'buyer_email',
    'buyer_tel',
  ];

  function finish(params, callback, rsp) {
    if (typeof callback === 'function') return callback(rsp);
    if (params.m_redirect_url) {
      var target = new URL(params.m_redirect_url, location.href);
      target.searchParams.set('imp_uid', rsp.imp_uid || '');
      target.searchParams.set('merchant_uid', rsp.merchant_uid || '');
      target.searchParams.set('imp_success', String(rsp.success));
      if (!rsp.success) target.searchParams.set('error_msg', rsp.error_msg || '');
      location.assign(target.href);
    }
  }

  function openWindow(params, callback) {
    var src = new URL(windowUrl.href);
    PARAMS.forEach(function (name) {
      if (params[name] !== undefined && params[name] !== null)
        src.searchParams.set(name, String(params[name]));
    });
    var overlay = document.createElement('div');
    overlay.setAttribute('data-imp-overlay', '');
    overlay.style.cssText =
      'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center';
    var frame = document.createElement('iframe');
    frame.title = '포트원 결제창';
    frame.name = 'imp-payment-window';
    frame.src = src.href;
    frame.style.cssText =
      'width:min(440px,100vw);height:min(680px,100vh);border:0;border-radius:12px;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.3)';
    overlay.appendChild(frame);
    document.body.appendChild(overlay);

    function onMessage(event) {
      if (event.source !== frame.contentWindow || !event.data || event.data.type !== 'imp:done') return;
      window.removeEventListener('message', onMessage);
      overlay.remove();
      finish(params, callback, event.data.rsp);
    }
    window.addEventListener('message', onMessage);
  }

  window.IMP = {
    init: function (code) {
      userCode = code;
    },
    request_pay: function (params, callback) {
      var p = params || {};
      var problem = !userCode
        ? 'IMP.init() 으로 가맹점 식별코드를 먼저 설정해 주세요.'
        : !p.merchant_uid || !(Number(p.amount) > 0)
          ? 'merchant_uid 와 amount 는 필수입니다.'
          : null;
      if (problem) {
        return finish(p, callback, {
          success: false,
          imp_uid: null,
          merchant_uid: p.merchant_uid || null,
          error_code: 'F400',
          error_msg: problem,
        });
      }
      openWindow(p, callback);
    },
  };
})();
