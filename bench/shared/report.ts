import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@spark/testing';

/** Numeric facts about the machine for a report's JSON (the Markdown names it in full). */
export function machineFigures(): Record<string, number> {
  const [one, five] = os.loadavg();
  return {
    'machine.cores': os.cpus().length,
    'machine.memory_gib': Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    'machine.load_1m': Math.round((one ?? 0) * 100) / 100,
    'machine.load_5m': Math.round((five ?? 0) * 100) / 100,
  };
}

/**
 * Writes bench/reports/<bench>-<date>.md and, beside it, <bench>-<date>.json: one object, figure
 * names as keys, numbers as values, so runs can be compared by a script. Returns the two paths.
 */
export function writeReport(
  bench: string,
  startedAt: Date,
  markdown: string,
  figures: Record<string, number>,
): { markdown: string; json: string } {
  const finite = Object.fromEntries(
    Object.entries(figures).filter(([key, value]) => {
      if (Number.isFinite(value)) return true;
      console.warn(`report figure ${key} left out of the JSON: not a finite number (${String(value)})`);
      return false;
    }),
  );
  const dir = path.join(WORKSPACE_ROOT, 'bench/reports');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${bench}-${startedAt.toISOString().slice(0, 10)}`);
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, `${JSON.stringify(finite, null, 2)}\n`);
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/** The services' trace sampling (they inherit this process's environment; the default samples all). */
export function traceSampleRatio(): number {
  return Number(process.env.SPARK_TRACE_SAMPLE_RATIO ?? '1');
}

export function tracingLine(): string {
  return `- Tracing: on, SPARK_TRACE_SAMPLE_RATIO=${traceSampleRatio()}${process.env.SPARK_TRACE_SAMPLE_RATIO ? '' : ' (the default: every run traced)'}, OTLP to ${process.env.SPARK_OTLP_ENDPOINT ?? 'the default endpoint'} (Jaeger of tools/stack)`;
}
