/*
 * The sandbox's stand-in for Toss Payments' browser SDK (js.tosspayments.com/v1/payment):
 * TossPayments(clientKey).requestPayment(method, { amount, orderId, orderName, successUrl, failUrl })
 * opens the payment window by navigating to it, as Toss's redirect mode does. The window lives
 * next to this script, so a page may load the SDK from another origin (a standalone sandbox).
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var windowUrl = new URL('window', script ? script.src : location.href);

  function sdkError(code, message) {
    var error = new Error(message);
    error.code = code;
    return error;
  }

  function TossPayments(clientKey) {
    if (typeof clientKey !== 'string' || clientKey.length === 0) {
      throw sdkError('INVALID_CLIENT_KEY', '클라이언트 키가 필요합니다.');
    }
    return {
      requestPayment: function (method, params) {
        var p = params || {};
        var missing = ['amount', 'orderId', 'orderName', 'successUrl', 'failUrl'].filter(function (name) {
          return p[name] === undefined || p[name] === null || p[name] === '';
        });
        if (missing.length > 0) {
          return Promise.reject(
            sdkError('INVALID_PARAMETERS', '필수 파라미터가 없습니다: ' + missing.join(', ')),
          );
        }
        var target = new URL(windowUrl.href);
        target.searchParams.set('method', method || '카드');
        ['amount', 'orderId', 'orderName', 'successUrl', 'failUrl', 'customerName'].forEach(function (name) {
          if (p[name] !== undefined && p[name] !== null) target.searchParams.set(name, String(p[name]));
        });
        location.assign(target.href);
        // The page is leaving: the promise settles never, as with Toss's redirect mode.
        return new Promise(function () {});
      },
    };
  }

  window.TossPayments = TossPayments;
})();
