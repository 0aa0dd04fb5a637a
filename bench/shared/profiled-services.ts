import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ServiceName } from '@spark/contracts';
import { type EngineHarness, waitUntilReady } from '@spark/testing';
import { summariseProfileDir, type CpuProfileSummary } from './cpu-profile';

export interface ServiceProfiles {
  /** After the services stopped (they write their profiles on exit): one summary per service that wrote one. */
  summarise(window?: { fromMicros: number; toMicros: number }): CpuProfileSummary[];
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
  const root = options.cpuProfile ? mkdtempSync(path.join(os.tmpdir(), 'spark-bench-prof-')) : undefined;
  for (const service of services) {
    const dir = root ? path.join(root, service) : undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    const nodeOptions = [options.nodeOptions, dir ? `--cpu-prof --cpu-prof-dir=${dir}` : undefined]
      .filter(Boolean)
      .join(' ');
    await waitUntilReady(
      await engine.startServiceWith(service, {
        ...engine.env,
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      }),
    );
  }
  return {
    summarise: (window) =>
      root
        ? services.flatMap((service) => {
            const summary = summariseProfileDir(service, path.join(root, service), window);
            return summary ? [summary] : [];
          })
        : [],
    dispose: () => {
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}
