// `npm start` and `npm run sandbox` build first only when dist/ is older than what it comes from
// (the TypeScript, and the shop's and payment windows' browser files) (a full build takes seconds; an unchanged tree needs none). `npm run build` stays
// the explicit full build. Built from empty, as `npm run build` does, so a module moved or
// deleted in src/ cannot linger in dist/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(target, extension) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return target.endsWith(extension) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry), extension));
  }
  return newest;
}

const inputs = Math.max(
  newestMtime(path.join(root, 'src'), ''),
  newestMtime(path.join(root, 'bench'), '.ts'),
  newestMtime(path.join(root, 'tsconfig.json'), '.json'),
  newestMtime(path.join(root, 'tsconfig.build.json'), '.json'),
);
const built = fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))
  ? newestMtime(path.join(root, 'dist'), '')
  : 0;

if (built >= inputs) process.exit(0);
process.stderr.write('dist/ is older than src/: building (npm run build)\n');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
// As `npm run build`'s postbuild does: the browser files (shop pages, payment windows) too.
fs.cpSync(path.join(root, 'src'), path.join(root, 'dist', 'src'), {
  recursive: true,
  filter: (file) => !file.endsWith('.ts'),
});
