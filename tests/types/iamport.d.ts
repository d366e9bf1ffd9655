/**
 * PortOne's original Node client (npm `iamport` 0.3.x) ships no types; what the tests use of it.
 * Every resource method answers the envelope's `response`, or rejects with `code` set to
 * `HTTP_<status>` (400, 401, 404) or `IAMPORT_<code>` (a non-zero envelope code).
 */
declare module 'iamport' {
  interface IamportOptions {
    impKey?: string;
    impSecret?: string;
  }
  type Call = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;
  class Iamport {
    /** The host every instance is built with; read once, in the constructor. */
    static DEFAULT_HOST: string;
    constructor(options?: IamportOptions);
    /** The token cache: `{access_token, now, expired_at}` once a call has been made. */
    token?: { access_token: string; expired_at: number };
    payment: { getByImpUid: Call; getByMerchant: Call; getByStatus: Call; cancel: Call };
  }
  namespace Iamport {
    interface IamportError extends Error {
      code?: string;
    }
  }
  export = Iamport;
}
