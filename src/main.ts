import 'reflect-metadata';
import { describeSettings } from './infrastructure/config/settings-summary';
import { closeOnSignals, exitOnFailedStart } from './infrastructure/runtime/process-lifecycle';
import { startService } from './infrastructure/runtime/service';

async function main(): Promise<void> {
  const service = await startService();
  console.log(`Ledgerline listening on ${service.url} (${service.settings.paymentsMode} mode)`);
  console.log(describeSettings(service.settings));
  closeOnSignals(() => service.close());
}

main().catch(exitOnFailedStart('Ledgerline'));
