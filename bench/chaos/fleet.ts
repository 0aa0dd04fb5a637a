import type { ServiceName } from '@spark/contracts';
import {
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
  type ServiceProcess,
} from '@spark/testing';
import { log } from './timing';

export const SERVICES: readonly ServiceName[] = ['gateway', 'scheduler', 'executor', 'projector'];

/** One service process of the fleet, restartable on its own port. */
export interface Instance {
  name: string;
  service: ServiceName;
  port: number;
  env: NodeJS.ProcessEnv;
  process: ServiceProcess | undefined;
  /** Answered its readiness check since it was last started. */
  ready: boolean;
}

/**
 * N instances of each service (from dist/) side by side on one stack: their own HTTP (and gRPC) ports,
 * the same schemas and consumer groups, so they share the work the way a deployment's replicas do.
 */
export class Fleet {
  /** Instances that ended without being killed (a crash of its own), each started again. */
  readonly unexpectedExits: { instance: string; at: number; code: number | string }[] = [];
  private stopping = false;

  private constructor(readonly instances: Instance[]) {}

  /** `perService`: instances of each service, or a count per service (0 leaves a service out). */
  static async start(
    env: NodeJS.ProcessEnv,
    perService: number | Partial<Record<ServiceName, number>> = 2,
  ): Promise<Fleet> {
    const instances: Instance[] = [];
    const countOf = (service: ServiceName) =>
      typeof perService === 'number' ? perService : (perService[service] ?? 0);
    for (const service of SERVICES) {
      for (let index = 0; index < countOf(service); index++) {
        const port = await freePort();
        instances.push({
          name: `${service}-${index + 1}`,
          service,
          port,
          env: {
            ...env,
            SPARK_INSTANCE_ID: `${service}-${index + 1}`,
            ...(service === 'gateway' ? { SPARK_GATEWAY_GRPC_PORT: String(await freePort()) } : {}),
          },
          process: undefined,
          ready: false,
        });
      }
    }
    const fleet = new Fleet(instances);
    // The first of each service migrates its schema alone; the others then start together.
    const first = SERVICES.flatMap(
      (service) => instances.find((instance) => instance.service === service) ?? [],
    );
    await Promise.all(first.map((instance) => fleet.startInstance(instance)));
    await Promise.all(
      instances
        .filter((instance) => !first.includes(instance))
        .map((instance) => fleet.startInstance(instance)),
    );
    return fleet;
  }

  of(service: ServiceName): Instance[] {
    return this.instances.filter((instance) => instance.service === service);
  }

  running(): Instance[] {
    return this.instances.filter((instance) => instance.process !== undefined);
  }

  get gatewayUrls(): string[] {
    return this.of('gateway').map((instance) => `http://127.0.0.1:${instance.port}`);
  }

  async startInstance(instance: Instance, readyTimeoutMs = 90_000): Promise<void> {
    const started = startServiceProcess(instance.service, instance.port, instance.env);
    instance.process = started;
    instance.ready = false;
    let ready = false;
    void started.exited.then((code) => {
      // A start that fails is the starter's to retry; this watches instances that were up.
      if (!ready || instance.process !== started || this.stopping) return;
      this.unexpectedExits.push({ instance: instance.name, at: Date.now(), code });
      log(`${instance.name} exited by itself (${code}): starting it again`);
      instance.process = undefined;
      instance.ready = false;
      setTimeout(() => {
        if (!this.stopping && !instance.process) void this.startInstance(instance).catch(() => undefined);
      }, 1000);
    });
    await waitUntilReady(started, readyTimeoutMs);
    ready = true;
    instance.ready = instance.process === started;
  }

  /** kill -9, as a crash would; resolves once the process is gone. */
  async kill(instance: Instance): Promise<void> {
    const running = instance.process;
    if (!running) return;
    instance.process = undefined;
    instance.ready = false;
    running.child.kill('SIGKILL');
    await running.exited;
  }

  signal(instance: Instance, signal: 'SIGSTOP' | 'SIGCONT'): void {
    instance.process?.child.kill(signal);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.instances.map(async (instance) => {
        const running = instance.process;
        instance.process = undefined;
        if (running) {
          running.child.kill('SIGCONT');
          await stopServiceProcess(running, 10_000);
        }
      }),
    );
  }
}
