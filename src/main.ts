import 'reflect-metadata';
import { describeSettings } from './infrastructure/composition';
import { closeOnSignals, exitOnFailedStart } from './interfaces/process-lifecycle';
import { startService } from './interfaces/http/server';

async function main(): Promise<void> {
  const service = await startService();
  console.log(`Ledgerline listening on ${service.url} (${service.settings.paymentsMode} mode)`);
  console.log(describeSettings(service.settings));
  console.log(
    `Audit seal public key (Ed25519, id ${service.app.sealer.keyId}):\n${service.app.sealer.publicKeyPem}`,
  );
  closeOnSignals(() => service.close());
}

main().catch(exitOnFailedStart('Ledgerline'));
