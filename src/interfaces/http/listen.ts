import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from '../../infrastructure/composition';

/** Why a listen failed, in the operator's terms, naming the setting to change. */
function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string | null {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use: stop the other process or set PORT`;
    case 'EACCES':
      return `port ${port} on ${host} needs privileges this user lacks: set PORT above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HOST ${host} is not an address of this machine: set HOST (0.0.0.0 for every interface)`;
    default:
      return null;
  }
}

/** Listens on `host:port` and answers the bound port; a taken port is a one-line StartupError. */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const problem = listenProblem(error, host, port);
      reject(problem ? new StartupError(problem) : error);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
