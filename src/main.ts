import 'reflect-metadata';
import { describeSettings } from './infrastructure/composition';
import { closeOnSignals, exitOnFailedStart } from './interfaces/process-lifecycle';
import { startService } from './interfaces/http/server';
import { createLogger, type Logger } from './interfaces/observability/logger';

async function main(logger: Logger): Promise<void> {
  const service = await startService({ logger });
  const { url, settings } = service;
  logger.info(
    { url, settings: describeSettings(settings) },
    `Ledgerline listening on ${url} (${settings.paymentsMode} mode)`,
  );
  logger.info(
    { keyId: service.app.sealer.keyId, publicKeyPem: service.app.sealer.publicKeyPem },
    `Audit seal public key (Ed25519, id ${service.app.sealer.keyId}), also at GET /v1/audit/public-key`,
  );
  closeOnSignals(() => service.close(), logger);
}

let logger: Logger | undefined;
try {
  logger = createLogger();
} catch (error) {
  exitOnFailedStart('Ledgerline')(error);
}
if (logger) main(logger).catch(exitOnFailedStart('Ledgerline', logger));
