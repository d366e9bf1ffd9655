import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

/** Toss's HTTP client: the secret key as Basic auth, keep-alive agents, no redirects. */
export interface TossHttpClient {
  http: AxiosInstance;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function tossHttpClient(options: {
  baseUrl: string;
  secretKey: string;
  timeoutMs: number;
}): TossHttpClient {
  // Keep-alive: the confirm path runs at hundreds of calls a second.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const client = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs,
    httpAgent: agents.http,
    httpsAgent: agents.https,
    // A PG API never redirects; following one would resend the secret key elsewhere.
    maxRedirects: 0,
    headers: {
      Authorization: `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    validateStatus: () => true, // every status is classified by the caller
  });
  return {
    http: client,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
