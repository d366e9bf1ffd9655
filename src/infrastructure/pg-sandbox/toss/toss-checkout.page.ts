/**
 * A minimal payment window for browsers: GET /sandbox/toss/checkout?orderId=&amount=&orderName=
 * [&successUrl=]. It creates a session and then shows, or redirects with, what Toss's success
 * redirect carries. Static HTML: query values are read by the script, never interpolated here.
 */
export const TOSS_CHECKOUT_HTML = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>Toss sandbox checkout</title></head>
<body>
<h1>토스페이먼츠 샌드박스 결제창</h1>
<form id="pay">
  <label>orderId <input name="orderId" required></label><br>
  <label>orderName <input name="orderName" required></label><br>
  <label>amount <input name="amount" type="number" min="1" required></label><br>
  <label>method <select name="method"><option>카드</option><option>간편결제</option><option>계좌이체</option></select></label><br>
  <label>outcome <select name="outcome"><option>approve</option><option>decline</option></select></label><br>
  <button type="submit">결제하기</button>
</form>
<pre id="result"></pre>
<script>
const params = new URLSearchParams(location.search);
const form = document.getElementById('pay');
for (const name of ['orderId', 'orderName', 'amount']) form.elements[name].value = params.get(name) || '';
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    orderId: form.elements.orderId.value, orderName: form.elements.orderName.value,
    amount: Number(form.elements.amount.value), method: form.elements.method.value, outcome: form.elements.outcome.value,
  };
  const res = await fetch('sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json();
  const successUrl = params.get('successUrl');
  if (res.ok && successUrl && /^(https?:\\/\\/|\\/)/.test(successUrl)) {
    const target = new URL(successUrl, location.href);
    for (const key of ['paymentKey', 'orderId', 'amount']) target.searchParams.set(key, String(data[key]));
    location.assign(target.toString());
    return;
  }
  document.getElementById('result').textContent = JSON.stringify(data, null, 2);
});
</script>
</body></html>
`;
