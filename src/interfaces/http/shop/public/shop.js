/*
 * What every page of the demo shop shares: the sandbox login kept in sessionStorage, calls to the
 * public REST API, Korean labels, and opening the PG's payment window. The shop is a merchant's
 * front end: it knows the REST contract and the PGs' browser SDKs, nothing of the service's inside.
 */
const TOKEN = 'ledgerline.token';
const USER = 'ledgerline.userId';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get userId() {
    return sessionStorage.getItem(USER);
  },
  save(userId, token) {
    sessionStorage.setItem(USER, userId);
    sessionStorage.setItem(TOKEN, token);
  },
  clear() {
    sessionStorage.removeItem(USER);
    sessionStorage.removeItem(TOKEN);
  },
};

/** A REST call: `{ status, ok, data }`; problem+json bodies come back as data too. */
export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (res.status === 401) session.clear();
  return { status: res.status, ok: res.ok, data };
}

/** Logs in as a sandbox user: POST /sandbox/tokens exists only in sandbox mode. */
export async function login(userId) {
  const res = await api('POST', '/sandbox/tokens', { userId, role: 'user' });
  if (!res.ok) return res;
  session.save(userId, res.data.token);
  return res;
}

export const won = (amount) => `${Number(amount).toLocaleString('ko-KR')}원`;

export function when(iso) {
  if (!iso) return '-';
  return new Date(iso).toLocaleString('ko-KR', {
    timeZone: 'Asia/Seoul',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export const PAYMENT_STATUS = {
  PENDING: '결제 확인 중',
  APPROVED: '결제 완료',
  REJECTED: '결제 거절',
  PARTIALLY_REFUNDED: '부분 환불',
  REFUNDED: '환불 완료',
  CANCELED_BY_SYSTEM: '자동 취소',
};

export const SUBSCRIPTION_STATUS = { ACTIVE: '이용 중', EXPIRED: '만료', REVOKED: '해지됨' };

export const REFUND_STATUS = { PENDING: '처리 중', COMPLETED: '완료', REJECTED: '거절' };

const PROBLEMS = {
  UNAUTHENTICATED: '로그인이 필요합니다. 다시 로그인해 주세요.',
  FORBIDDEN: '이 주문에 대한 권한이 없습니다.',
  VALIDATION_FAILED: '입력값을 확인해 주세요.',
  PLAN_NOT_FOUND: '상품을 찾을 수 없습니다.',
  ORDER_NOT_FOUND: '주문을 찾을 수 없습니다.',
  ORDER_EXPIRED: '주문 유효 시간이 지났습니다. 새로 주문해 주세요.',
  ORDER_ALREADY_PAID: '이미 결제가 끝난 주문입니다.',
  AMOUNT_MISMATCH: '결제 금액이 주문 금액과 다릅니다.',
  PG_PAYMENT_ALREADY_USED: '이미 다른 주문에 사용된 결제입니다.',
  PAYMENT_REJECTED: '결제가 거절되었습니다.',
  PAYMENT_NOT_FOUND: '결제 내역을 찾을 수 없습니다.',
  REFUND_WINDOW_CLOSED: '환불 가능 기간이 지났습니다.',
  REFUND_EXCEEDS_BALANCE: '환불 가능한 금액을 넘었습니다.',
  IDEMPOTENCY_KEY_IN_USE: '같은 요청을 처리하고 있습니다. 잠시 후 다시 확인해 주세요.',
  CONCURRENCY_CONFLICT: '요청이 겹쳤습니다. 다시 시도해 주세요.',
};

/** A problem+json answer as one Korean sentence, keeping the PG's own words when it has them. */
export function describeProblem(res) {
  const problem = res.data || {};
  const base = PROBLEMS[problem.code] || '요청을 처리하지 못했습니다.';
  if (problem.code === 'PAYMENT_REJECTED' && problem.detail) return `${base} ${problem.detail}`;
  return base;
}

/** Builds an element; children are nodes or text (never parsed as HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function show(target, ...children) {
  const el = typeof target === 'string' ? document.getElementById(target) : target;
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  el.hidden = false;
  return el;
}

export function notice(kind, text) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function statusBadge(status, labels) {
  return h(
    'span',
    { class: `badge status-${status}`, 'data-status': status },
    `${labels[status] || status} (${status})`,
  );
}

/** The header's login state, on every page. */
export function renderAccountBar() {
  const bar = document.getElementById('account-bar');
  if (!bar) return;
  if (!session.userId) return show(bar, h('a', { href: '/' }, '로그인'));
  show(
    bar,
    h('span', { id: 'signed-in-as' }, `${session.userId} 님`),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          session.clear();
          location.assign('/');
        },
      },
      '로그아웃',
    ),
  );
}

const PROVIDER = 'ledgerline.provider';
export const provider = {
  get: () => sessionStorage.getItem(PROVIDER) || 'toss',
  set: (value) => sessionStorage.setItem(PROVIDER, value),
};

/**
 * Opens the chosen PG's window for an order, as a merchant page does: Toss's SDK redirects to the
 * window and back to successUrl or failUrl; PortOne's IMP.request_pay answers in a callback, and
 * the shop then goes to the same confirm or fail page with what it got.
 */
export async function payOrder(order, pg) {
  provider.set(pg);
  const origin = location.origin;
  if (pg === 'portone') {
    window.IMP.init('imp_sandbox');
    window.IMP.request_pay(
      {
        pg: 'html5_inicis',
        pay_method: 'card',
        merchant_uid: order.orderId,
        name: order.orderName,
        amount: order.amount,
        buyer_name: session.userId,
      },
      (rsp) => {
        if (rsp.success) {
          const params = new URLSearchParams({
            imp_uid: rsp.imp_uid,
            merchant_uid: rsp.merchant_uid,
            imp_success: 'true',
          });
          location.assign(`/shop/confirm?${params}`);
        } else {
          const params = new URLSearchParams({
            code: rsp.error_code || 'F400',
            message: rsp.error_msg || '',
            orderId: order.orderId,
            provider: 'portone',
          });
          location.assign(`/shop/fail?${params}`);
        }
      },
    );
    return;
  }
  await window.TossPayments('test_ck_sandbox').requestPayment('카드', {
    amount: order.amount,
    orderId: order.orderId,
    orderName: order.orderName,
    customerName: session.userId,
    successUrl: `${origin}/shop/confirm`,
    failUrl: `${origin}/shop/fail`,
  });
}
