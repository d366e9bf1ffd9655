import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { withDeadline } from '../call-deadline';

/** What came back: any HTTP answer (every status is an answer here), or no answer at all. */
export type HttpOutcome =
  { kind: 'answer'; status: number; body: unknown } | { kind: 'no-answer'; reason: string };

export interface PortoneRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: string;
}

/**
 * One axios instance per gateway with keep-alive agents (a confirm is token + lookup, so reusing
 * the connection matters). Every status resolves; only network failures reject, and those never
 * carry a response, so nothing here reads `err.response`.
 */
export class PortoneHttpClient {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.http = axios.create({
      baseURL: baseUrl,
      timeout: timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  }

  async send(request: PortoneRequest): Promise<HttpOutcome> {
    try {
      const res = await withDeadline(this.timeoutMs, (signal) =>
        this.http.request<unknown>({
          method: request.method,
          url: request.path,
          data: request.body,
          headers: request.token ? { Authorization: `Bearer ${request.token}` } : {},
          signal,
        }),
      );
      return { kind: 'answer', status: res.status, body: res.data };
    } catch (err) {
      const reason = axios.isAxiosError(err) ? (err.code ?? err.message) : String(err);
      return { kind: 'no-answer', reason: `PortOne ${request.method} ${pathOnly(request.path)}: ${reason}` };
    }
  }

  /** Closes idle keep-alive sockets (tests, shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Ids in the path are not secret, but query strings might carry more than we want in a reason. */
function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}
