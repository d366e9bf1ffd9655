import type { PgTransactionList } from '../../application/ports/pg-transaction-list.port';
import type { Settings } from '../config/settings';
import { PortoneTransactionList } from '../pg/portone/portone-transaction-list';
import { TossTransactionList } from '../pg/toss/toss-transaction-list';

/**
 * The transaction lists of the PGs this deployment is configured for (both in sandbox mode, where
 * they are the built-in sandboxes of the service at PORT), with the settings' keys and deadline.
 * `pageSize` (tests) forces small pages.
 */
export function pgTransactionLists(settings: Settings, pageSize?: number): PgTransactionList[] {
  const timeoutMs = settings.pgTimeoutMs;
  return settings.providers.map((provider) =>
    provider === 'toss'
      ? new TossTransactionList({
          baseUrl: settings.toss.apiBaseUrl,
          secretKey: settings.toss.secretKey,
          timeoutMs,
          pageSize,
        })
      : new PortoneTransactionList({
          ...settings.portone,
          baseUrl: settings.portone.apiBaseUrl,
          timeoutMs,
          pageSize,
        }),
  );
}
