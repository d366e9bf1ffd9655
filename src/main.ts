import 'reflect-metadata';
import { SettingsError } from './infrastructure/config/settings';
import { describeSettings } from './infrastructure/config/settings-summary';
import { startService } from './infrastructure/runtime/service';

async function main(): Promise<void> {
  const service = await startService();
  console.log(`Ledgerline listening on ${service.url} (${service.settings.paymentsMode} mode)`);
  console.log(describeSettings(service.settings));
  const stop = () => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) console.error(error.message);
  else console.error('Ledgerline failed to start:', error);
  process.exit(1);
});
