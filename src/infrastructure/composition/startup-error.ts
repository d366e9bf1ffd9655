import { accessSync, constants, mkdirSync } from 'node:fs';

/**
 * A start that cannot go on for a reason outside the code (a taken port, a DATA_DIR that cannot
 * be written, a store that does not answer): one line saying what and which setting, no stack.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** The system's short reason: `EACCES`, `ENOTDIR`... and nothing that may carry a value. */
export function reasonOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof message === 'string') return message.split('\n')[0] ?? 'unknown error';
  }
  return String(error).split('\n')[0] ?? 'unknown error';
}

/** DATA_DIR exists (or is created) and this process may create files in it. */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StartupError(
      `DATA_DIR ${dataDir} is not a writable directory (${reasonOf(error)}): set DATA_DIR to a directory this user may write`,
    );
  }
}

/** `work` within `timeoutMs`, or a StartupError naming `what` and the setting to check. */
export async function withinDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    throw new StartupError(`${what} is unreachable: ${firstLine(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}
