import fs from 'node:fs';
import path from 'node:path';

/**
 * The file of a worker thread beside the module in `dir` (pass `__dirname`). Worker threads load
 * JavaScript only: compiled, the worker sits beside its module in dist/. Run from TypeScript
 * source (ts-jest, ts-node), it is the compiled worker in dist/, which `npm test` builds first
 * (pretest), and jest's global setup rebuilds when src/ is newer (tests/global-setup.ts).
 */
export function workerFile(dir: string, name: string): string {
  if (path.extname(__filename) === '.js') return path.join(dir, name);
  const root = path.resolve(__dirname, '../../..');
  const compiled = path.join(root, 'dist', path.relative(root, dir), name);
  if (!fs.existsSync(compiled)) {
    throw new Error(`worker threads run compiled code: ${compiled} is missing (run npm run build)`);
  }
  return compiled;
}
