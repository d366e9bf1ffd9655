import { closeOnSignals, exitOnFailedStart } from './interfaces/process-lifecycle';
import { startStandaloneSandbox } from './interfaces/http/sandbox/standalone-sandbox.server';

/** `npm run sandbox`: the Toss and PortOne sandboxes on their own, as a PG would be. */
async function main(): Promise<void> {
  const sandbox = await startStandaloneSandbox();
  const { settings } = sandbox;
  console.log(`Ledgerline PG sandbox listening on ${sandbox.url}`);
  console.log(`  Toss API    ${sandbox.url}/sandbox/toss    (TOSS_API_BASE_URL)`);
  console.log(`  PortOne API ${sandbox.url}/sandbox/portone (PORTONE_API_BASE_URL)`);
  console.log(
    `  webhooks to ${settings.serviceUrl}/v1/webhooks/{toss,portone}; state in ${settings.dataDir}`,
  );
  closeOnSignals(() => sandbox.close());
}

main().catch(exitOnFailedStart('The PG sandbox'));
