/** The payment gateways Ledgerline speaks to; the one definition every layer uses. */
export type Provider = 'toss' | 'portone';
