import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, WORKSPACE_ROOT } from '../processes';

const run = promisify(execFile);

export type PrivateComponent = 'postgres' | 'kafka';

/**
 * A Kafka broker and a PostgreSQL server of a test's own (tools/stack with its own directory and free
 * ports): restarting or pausing them never disturbs the shared stack other tests and people use.
 */
export class PrivateStack {
  private constructor(
    readonly dir: string,
    readonly pgPort: number,
    readonly kafkaPort: number,
    private readonly controllerPort: number,
    private readonly components: readonly PrivateComponent[],
  ) {}

  static async up(
    label: string,
    components: readonly PrivateComponent[] = ['postgres', 'kafka'],
  ): Promise<PrivateStack> {
    const dir = path.join(WORKSPACE_ROOT, '.stack/private', `${label}-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const stack = new PrivateStack(dir, await freePort(), await freePort(), await freePort(), components);
    await stack.stack('up', ...components);
    return stack;
  }

  get pgUrl(): string {
    return `postgres://spark:spark@127.0.0.1:${this.pgPort}/spark`;
  }

  get brokers(): string {
    return `127.0.0.1:${this.kafkaPort}`;
  }

  /** The broker stopped (SIGTERM) and started again on the same data; resolves once it is ready. */
  async restartKafka(): Promise<void> {
    await this.stack('down', 'kafka');
    await this.stack('up', 'kafka');
  }

  /** PostgreSQL stopped with its fast shutdown (SIGINT: sessions cut off) and started again. */
  async restartPostgres(): Promise<void> {
    await this.stack('down', 'postgres');
    await this.stack('up', 'postgres');
  }

  /**
   * The component's process stopped (SIGSTOP) until `resume`: its sockets stay open and what clients
   * send meanwhile waits in them, to be handled on SIGCONT after the clients may have given up.
   */
  pause(component: PrivateComponent): void {
    process.kill(this.pid(component), 'SIGSTOP');
  }

  resume(component: PrivateComponent): void {
    process.kill(this.pid(component), 'SIGCONT');
  }

  private pid(component: PrivateComponent): number {
    return Number(readFileSync(path.join(this.dir, 'run', `${component}.pid`), 'utf8').trim());
  }

  async down(): Promise<void> {
    await this.stack('down', ...this.components);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stack(...args: string[]): Promise<void> {
    await run(path.join(WORKSPACE_ROOT, 'tools/stack'), args, {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        SPARK_STACK_DIR: this.dir,
        SPARK_PG_PORT: String(this.pgPort),
        SPARK_KAFKA_PORT: String(this.kafkaPort),
        SPARK_KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        SPARK_STACK_STOP_TIMEOUT: '20',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
  }
}
