/**
 * Where the service's CPU time goes, from a V8 profile (`BENCH_CPU_PROF=1 npm run bench` writes
 * one to bench/results/profiles/). Prints self time by area (our layers, each dependency, Node
 * internals, GC, idle) and the top functions by self and by inclusive time.
 * Usage: node dist/bench/profile-summary.js <file.cpuprofile> [--phase confirm] [--top 25]
 * `--phase` keeps the samples of one measured run (run-all writes phases-<pid>.json beside the
 * profile; the offsets are from the child's spawn, so the cut is good to ~0.1 s).
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The area a frame belongs to: src/<layer>/<folder>, a node_modules package, node internals, V8 pseudo-frames. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /dist\/(src|bench)\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (ours)
    return ours[3] && !ours[3].endsWith('.js') ? `${ours[1]}/${ours[2]}/${ours[3]}` : `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

/**
 * What the service was doing, by the first rule matching any frame of a sample's stack (order
 * matters: a PG sandbox handler runs under express, so the sandbox is tested first).
 */
const ACTIVITIES: Array<[string, (f: CallFrame) => boolean]> = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['PG sandbox (the simulated PG, server side)', (f) => f.url.includes('/pg-sandbox/')],
  [
    'PG client (axios, Toss/PortOne adapters)',
    (f) => /axios|follow-redirects|\/pg\/(toss|portone)\//.test(f.url),
  ],
  ['event store append (to the writer thread)', (f) => f.url.includes('sqlite-writer')],
  ['event store readStream', (f) => f.functionName === 'readStream' && f.url.includes('sqlite-event-store')],
  ['projector', (f) => /projector|\/projections\//.test(f.url)],
  ['HTTP idempotency store', (f) => f.url.includes('/idempotency/')],
  ['event hashing (canonical JSON, sha256)', (f) => /event-hash|canonical-json/.test(f.url)],
  ['aggregate repository (fold, decide)', (f) => f.url.includes('aggregate-repository')],
  ['queries, read models, views', (f) => /\/queries\/|\/readmodels\//.test(f.url)],
  ['JWT', (f) => f.url.endsWith('/auth/jwt.js')],
  ['zod validation', (f) => f.url.includes('/zod/')],
  ['background jobs', (f) => f.url.includes('/jobs/')],
  [
    'HTTP server, express, JSON',
    (f) => /express|router|body-parser|raw-body|node:_http|node:net/.test(f.url),
  ],
];

export function activities(
  profile: Profile,
  window?: { fromS: number; toS: number },
): Array<[string, number, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  let atUs = 0;
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    atUs += delta;
    if (window && (atUs < window.fromS * 1e6 || atUs > window.toS * 1e6)) return;
    totalUs += delta;
    const frames: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node) frames.push(node.callFrame);
    }
    const found = ACTIVITIES.find(([, test]) => frames.some(test));
    const name = found ? found[0] : 'other';
    totals.set(name, (totals.get(name) ?? 0) + delta);
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => [name, Math.round(us / 1000), Math.round((1000 * us) / Math.max(1, totalUs)) / 10]);
}

const label = (f: CallFrame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;

export function summarize(profile: Profile, top = 25, window?: { fromS: number; toS: number }): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Self time per node from the sample timeline (more exact than hitCount × interval).
  const selfUs = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    atUs += delta;
    if (window && (atUs < window.fromS * 1e6 || atUs > window.toS * 1e6)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const areas = new Map<string, number>();
  const selfByFn = new Map<string, number>();
  const inclByFn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    areas.set(areaOf(node.callFrame), (areas.get(areaOf(node.callFrame)) ?? 0) + us);
    selfByFn.set(label(node.callFrame), (selfByFn.get(label(node.callFrame)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label((byId.get(at) as ProfileNode).callFrame);
      if (seen.has(key)) continue; // recursion counts once
      seen.add(key);
      inclByFn.set(key, (inclByFn.get(key) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const rank = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  const busy = totalUs - (areas.get('(idle)') ?? 0);
  return [
    `profile: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${pct(busy).trim()})`,
    '',
    'by activity (first match in the stack):',
    ...activities(profile, window).map(
      ([name, ms, share]) => `  ${share.toFixed(1).padStart(5)}% ${String(ms).padStart(7)} ms  ${name}`,
    ),
    '',
    'self time by area:',
    ...rank(areas, 30).map(([k, v]) => `  ${pct(v)} ${ms(v)}  ${k}`),
    '',
    `top ${top} functions by self time:`,
    ...rank(selfByFn, top).map(([k, v]) => `  ${pct(v)} ${ms(v)}  ${k}`),
    '',
    `top ${top} functions by inclusive time:`,
    ...rank(inclByFn, top).map(([k, v]) => `  ${pct(v)} ${ms(v)}  ${k}`),
  ];
}

export function readProfile(file: string): Profile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
}

function phaseWindow(file: string, phase: string): { fromS: number; toS: number } {
  const pid = /\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1];
  const phasesFile = path.join(path.dirname(file), `phases-${pid}.json`);
  const phases = JSON.parse(fs.readFileSync(phasesFile, 'utf8')) as Array<{
    title: string;
    fromS: number;
    toS: number;
  }>;
  const found = phases.find((p) => p.title === phase);
  if (!found) throw new Error(`no phase ${phase} in ${phasesFile}: ${phases.map((p) => p.title).join(', ')}`);
  return found;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : args.splice(at, 2)[1];
  };
  const phase = option('--phase');
  const top = Number(option('--top') ?? 25);
  const [file] = args;
  if (!file) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [--phase confirm] [--top 25]');
    process.exit(2);
  }
  const profile = readProfile(file);
  const window = phase ? phaseWindow(file, phase) : undefined;
  if (window)
    console.log(`phase ${phase}: ${window.fromS.toFixed(1)}–${window.toS.toFixed(1)} s after spawn`);
  console.log(summarize(profile, top, window).join('\n'));
}
