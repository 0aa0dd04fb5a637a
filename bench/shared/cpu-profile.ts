import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a summary needs. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShare {
  name: string;
  ms: number;
  /** Share of the sampled wall time in the window, 0..1. */
  share: number;
}

export interface CpuProfileSummary {
  service: string;
  /** Sampled wall time inside the window. */
  windowMs: number;
  idleShare: number;
  gcShare: number;
  /** True when the window was cut out of a longer profile; false when the whole profile was used. */
  windowed: boolean;
  topFunctions: CpuShare[];
  topPackages: CpuShare[];
  /**
   * The same, with native and Node built-in time charged to the nearest caller that is a package or
   * Spark code (so a socket `writev` counts for pg or kafkajs, whichever wrote).
   */
  topCallerPackages: CpuShare[];
}

const UNOWNED = new Set(['(native)', 'node (built-in)', '(root)', '(program)']);

/**
 * A monotonic timestamp in microseconds on the clock V8's profiler stamps samples with
 * (CLOCK_MONOTONIC on Linux, the same as process.hrtime), so a window measured in the benchmark
 * process can be cut out of a service's profile.
 */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Where the code of a sampled frame comes from: an npm package, a Spark library or app, Node itself. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  const spark = /\/dist\/((?:apps|libs|bench)\/[^/]+)\//.exec(url);
  if (spark) return `spark ${spark[1]}`;
  return url.replace(/^file:\/\//, '');
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  const short = file.replace(/^.*\/dist\//, '');
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

/**
 * Self time per function and per package over the samples inside [fromMicros, toMicros] (the
 * whole profile when the window does not overlap it). "(idle)" is the event loop waiting: a service
 * that is mostly idle under load spends its time on round trips, not computation.
 */
export function summariseCpuProfile(
  service: string,
  profile: CpuProfile,
  window?: { fromMicros: number; toMicros: number },
  top = 10,
): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached !== undefined) return cached;
    const frame = byId.get(id)!;
    const own = packageOf(frame.url, frame.functionName);
    const parent = parentOf.get(id);
    const owner = !UNOWNED.has(own)
      ? own
      : parent !== undefined && byId.has(parent)
        ? ownerOf(parent)
        : '(native or Node, no package on the stack)';
    ownerCache.set(id, owner);
    return owner;
  };
  const overlaps = window && window.fromMicros < profile.endTime && window.toMicros > profile.startTime;
  const from = overlaps ? window.fromMicros : -Infinity;
  const to = overlaps ? window.toMicros : Infinity;
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  const callers = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = at + (profile.timeDeltas[i + 1] ?? 0);
    if (at < from || at > to) continue;
    const frame = byId.get(profile.samples[i]!);
    if (!frame) continue;
    const micros = next - at;
    total += micros;
    const fn = frameName(frame);
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
    const pkg = packageOf(frame.url, frame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    const caller = ownerOf(profile.samples[i]!);
    callers.set(caller, (callers.get(caller) ?? 0) + micros);
  }
  const shares = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: total > 0 ? micros / total : 0 }));
  const shareOf = (name: string) => (total > 0 ? (functions.get(name) ?? 0) / total : 0);
  return {
    service,
    windowMs: total / 1000,
    idleShare: shareOf('(idle)'),
    gcShare: shareOf('(garbage collector)'),
    windowed: Boolean(overlaps),
    topFunctions: shares(functions).filter((entry) => entry.name !== '(idle)'),
    topPackages: shares(packages),
    topCallerPackages: shares(callers),
  };
}

/** Summarises the newest `.cpuprofile` in `dir` (one service's `--cpu-prof-dir`), or undefined if none. */
export function summariseProfileDir(
  service: string,
  dir: string,
  window?: { fromMicros: number; toMicros: number },
): CpuProfileSummary | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  const newest = files.sort().at(-1);
  if (!newest) return undefined;
  const profile = JSON.parse(readFileSync(path.join(dir, newest), 'utf8')) as CpuProfile;
  return summariseCpuProfile(service, profile, window);
}

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

/** Markdown for one service's summary: busy/idle line, then the top functions and packages by self time. */
export function cpuProfileMarkdown(summary: CpuProfileSummary): string[] {
  const list = (entries: CpuShare[]) =>
    entries.map(
      (entry) => `| ${entry.name.replace(/\|/g, '\\|')} | ${entry.ms.toFixed(0)} | ${percent(entry.share)} |`,
    );
  return [
    `### ${summary.service}`,
    '',
    `${summary.windowMs.toFixed(0)} ms sampled${summary.windowed ? ' inside the window' : ' (whole profile: the window did not overlap it)'}: idle ${percent(summary.idleShare)}, garbage collector ${percent(summary.gcShare)}.`,
    '',
    '| top self time: function | ms | share |',
    '| --- | ---: | ---: |',
    ...list(summary.topFunctions),
    '',
    '| top self time: package | ms | share |',
    '| --- | ---: | ---: |',
    ...list(summary.topPackages),
    '',
    '| self time with native and Node time charged to its calling package | ms | share |',
    '| --- | ---: | ---: |',
    ...list(summary.topCallerPackages),
    '',
  ];
}

/** The summary's numbers for a report's JSON: `cpu.<service>.idle_share` and friends. */
export function cpuProfileFigures(summary: CpuProfileSummary): Record<string, number> {
  const key = `cpu.${summary.service}`;
  return {
    [`${key}.sampled_ms`]: Math.round(summary.windowMs),
    [`${key}.idle_share`]: round(summary.idleShare, 4),
    [`${key}.busy_share`]: round(1 - summary.idleShare, 4),
    [`${key}.gc_share`]: round(summary.gcShare, 4),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
