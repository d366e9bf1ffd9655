/** The machine header, the results table and bench/results/latest.json. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average at the start: other work on the box skews every figure. */
  loadAverage1m: number;
  dataDirFilesystem: string;
}

export function describeMachine(dataRoot: string): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    dataDirFilesystem: filesystemOf(dataRoot),
  };
}

/** The mount (and type) holding `dir`, from /proc/mounts; fsync cost depends on it. */
function filesystemOf(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    const mounts = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(
        (f) => f.length > 2 && (real === f[1] || real.startsWith(f[1].endsWith('/') ? f[1] : `${f[1]}/`)),
      )
      .sort((a, b) => b[1].length - a[1].length);
    return mounts[0] ? `${real} on ${mounts[0][1]} (${mounts[0][2]}, ${mounts[0][0]})` : real;
  } catch {
    return dir;
  }
}

/** One row of the table: a measured figure, optionally with a target it passes or misses. */
export interface Row {
  bench: string;
  metric: string;
  value: number | string | null;
  unit: string;
  target?: { op: '>=' | '<='; value: number };
  note?: string;
}

export function verdict(row: Row): 'PASS' | 'FAIL' | '' {
  if (!row.target || typeof row.value !== 'number') return '';
  const ok = row.target.op === '>=' ? row.value >= row.target.value : row.value <= row.target.value;
  return ok ? 'PASS' : 'FAIL';
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

export function printMachine(machine: Machine): void {
  console.log(
    'Ledgerline benchmarks: embedded default (SQLite synchronous=FULL, PG sandbox over loopback HTTP)',
  );
  console.log(`  CPU     : ${machine.cpuModel} × ${machine.cores} cores`);
  console.log(`  Memory  : ${machine.memoryGiB} GiB`);
  console.log(`  Node    : ${machine.node} (${machine.platform})`);
  console.log(`  Date    : ${machine.date}`);
  console.log(`  Load avg: ${machine.loadAverage1m} (1 min, at start)`);
  console.log(`  DATA_DIR: ${machine.dataDirFilesystem}`);
  console.log('');
}

export function printTable(rows: Row[]): void {
  const cells = rows.map((row) => [
    row.bench,
    row.metric,
    row.value === null
      ? 'n/a'
      : typeof row.value === 'number'
        ? `${formatNumber(row.value)} ${row.unit}`.trim()
        : row.value,
    row.target ? `${row.target.op} ${formatNumber(row.target.value)} ${row.unit}`.trim() : '',
    verdict(row),
    row.note ?? '',
  ]);
  const header = ['benchmark', 'metric', 'measured', 'target', '', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 2 || i === 3 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** Writes the results as JSON, formatted the way `prettier --check .` expects when prettier is present. */
export async function writeResults(file: string, results: unknown): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dev tool, absent in production installs
    const prettier = require('prettier') as {
      format(src: string, opts: object): Promise<string>;
      resolveConfig(file: string): Promise<object | null>;
    };
    const config = (await prettier.resolveConfig(file)) ?? {};
    text = await prettier.format(text, { ...config, parser: 'json', filepath: file });
  } catch {
    // Without prettier the plain JSON is still valid.
  }
  fs.writeFileSync(file, text);
}
