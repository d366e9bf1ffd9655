import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A merchant endpoint that only acknowledges webhooks: 200 to every POST, counted. A PortOne
 * payment made with its URL as `notice_url` notifies it instead of the service, so a confirm of
 * that payment is the one that asks the PG.
 */
export interface WebhookSink {
  url: string;
  received(): number;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/portone`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
