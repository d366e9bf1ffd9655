/**
 * Worker threads (the SQLite writer, the replay workers) run compiled JavaScript from dist/,
 * even when the tests run from TypeScript source. `npm test` builds first; a bare `npx jest`
 * after an edit would otherwise run the edited tests against stale workers. So when any file
 * under src/ is newer than everything in dist/src/, build before the tests start.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string, extension: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, extension));
    else if (entry.name.endsWith(extension)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export default function buildIfStale(): void {
  const root = path.resolve(__dirname, '..');
  const source = newestMtime(path.join(root, 'src'), '.ts');
  const compiled = newestMtime(path.join(root, 'dist', 'src'), '.js');
  if (compiled >= source) return;
  process.stderr.write('\ndist/ is older than src/: building, the worker threads run compiled code\n');
  // From empty, as `npm run build` does: a module moved or deleted in src/ must not linger in
  // dist/ for a test to find (a clean clone would not have it).
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // As `npm run build`'s postbuild does: the browser files (shop pages, payment windows) too.
  fs.cpSync(path.join(root, 'src'), path.join(root, 'dist', 'src'), {
    recursive: true,
    filter: (file) => !file.endsWith('.ts'),
  });
}
