import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ServiceName } from '@spark/contracts';
import { type EngineHarness, waitUntilReady } from '@spark/testing';
import { summariseProfileDir, type CpuProfileSummary } from './cpu-profile';
import { processCpuMillis } from './program-cpu';

export interface ServiceProfiles {
  /** After the services stopped (they write their profiles on exit): one summary per service that wrote one. */
  summarise(window?: { fromMicros: number; toMicros: number }): CpuProfileSummary[];
  /** CPU time (user + system, ms) each service's process has used so far; empty where /proc is missing. */
  cpuMillis(): Partial<Record<ServiceName, number>>;
  dispose(): void;
}

/**
 * Starts `services` on the harness (started with `services: []`), each with its own `--cpu-prof-dir`
 * when `cpuProfile` is set, plus `nodeOptions` (BENCH_SERVICE_NODE_OPTIONS), and waits until each is ready.
 */
export async function startProfiledServices(
  engine: EngineHarness,
  services: ServiceName[],
  options: { cpuProfile: boolean; nodeOptions?: string | undefined },
): Promise<ServiceProfiles> {
  // BENCH_PROFILE_DIR keeps the raw profiles there (for a closer look, e.g. in Chrome's DevTools).
  const kept = process.env.BENCH_PROFILE_DIR;
  const root = options.cpuProfile
    ? kept
      ? (mkdirSync(kept, { recursive: true }), kept)
      : mkdtempSync(path.join(os.tmpdir(), 'spark-bench-prof-'))
    : undefined;
  const processes: { service: ServiceName; pid: number }[] = [];
  for (const service of services) {
    const dir = root ? path.join(root, service) : undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    const nodeOptions = [options.nodeOptions, dir ? `--cpu-prof --cpu-prof-dir=${dir}` : undefined]
      .filter(Boolean)
      .join(' ');
    const started = await engine.startServiceWith(service, {
      ...engine.env,
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    });
    if (started.child.pid !== undefined) processes.push({ service, pid: started.child.pid });
    await waitUntilReady(started);
  }
  return {
    summarise: (window) =>
      root
        ? services.flatMap((service) => {
            const summary = summariseProfileDir(service, path.join(root, service), window);
            return summary ? [summary] : [];
          })
        : [],
    cpuMillis: () =>
      Object.fromEntries(
        processes.flatMap(({ service, pid }) => {
          const millis = processCpuMillis(pid);
          return millis === undefined ? [] : [[service, millis]];
        }),
      ),
    dispose: () => {
      if (root && !kept) rmSync(root, { recursive: true, force: true });
    },
  };
}
