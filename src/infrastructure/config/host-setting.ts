import { isIP } from 'node:net';

/**
 * HOST, the address the service listens on: loopback by default in sandbox mode (the sandbox
 * hands out tokens and moves the clock: not for the network), every interface in live mode.
 */
export function defaultHost(live: boolean): string {
  return live ? '0.0.0.0' : '127.0.0.1';
}

export function isValidHost(value: string): boolean {
  return (
    isIP(value) !== 0 ||
    /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
      value,
    )
  );
}

/**
 * How this process reaches itself (the built-in sandboxes' webhooks, the sandbox PG URLs):
 * loopback when listening on every interface or on loopback, else the address itself.
 */
export function selfHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost' || host.startsWith('127.'))
    return '127.0.0.1';
  if (isIP(host) === 6) return `[${host}]`;
  return host;
}
