import { randomUUID } from 'node:crypto';
import { runStreamName, type SparkCommand, Topics, type ServiceName } from '@spark/contracts';
import { WorkflowCatalog } from '@spark/engine';
import {
  migrateEventStoreSchema,
  PostgresEventStore,
  type RecordedEvent,
  StreamNotFoundError,
} from '@spark/event-store';
import { KafkaMessaging, kafkaSettingsFromEnv } from '@spark/messaging';
import { generateExecutorKeyPair } from '@spark/service-kit';
import { isFinalRunEventType } from '@spark/workflow-domain';
import { Client } from 'pg';
import {
  freePort,
  startServiceProcess,
  stopServiceProcess,
  waitUntilReady,
  type ServiceProcess,
} from '../processes';

export interface FinishedRun {
  runId: string;
  /** The type of the run's last final event, e.g. RunCompleted. */
  outcome: string;
  events: RecordedEvent[];
  /** The data of the final event (output, error...). */
  result: Record<string, unknown>;
}

/**
 * The engine for e2e tests: scheduler and executor as real processes (from dist/) against the real
 * Kafka and PostgreSQL of tools/stack, with an event store schema and scheduler schema of their own.
 * Runs are started and signalled the way the gateway does it: commands on `spark.commands`.
 */
export class EngineHarness {
  readonly processes = new Map<ServiceName, ServiceProcess>();
  readonly messaging: KafkaMessaging;
  readonly store: PostgresEventStore;
  readonly catalog: WorkflowCatalog;

  private constructor(
    readonly env: NodeJS.ProcessEnv,
    private readonly pgUrl: string,
    private readonly schemas: string[],
    readonly ports: Record<ServiceName, number>,
  ) {
    this.messaging = new KafkaMessaging(
      kafkaSettingsFromEnv(`e2e-harness-${process.pid}`, { ...process.env, ...env }),
    );
    this.store = new PostgresEventStore({ connectionString: pgUrl, schema: env.SPARK_EVENT_STORE_SCHEMA! });
    this.catalog = new WorkflowCatalog(this.store);
  }

  static async start(
    options: { services?: ServiceName[]; env?: NodeJS.ProcessEnv; basePort?: number } = {},
  ): Promise<EngineHarness> {
    const id = randomUUID().replace(/-/g, '').slice(0, 10);
    const pgUrl = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
    const eventStoreSchema = `e2e_es_${id}`;
    const schedulerSchema = `e2e_sch_${id}`;
    const readModelSchema = `e2e_rm_${id}`;
    const gatewaySchema = `e2e_gw_${id}`;
    const executorSchema = `e2e_ex_${id}`;
    // Free ports, unless the caller pins them: parallel test runs must not answer each other's checks.
    const { basePort } = options;
    const ports = basePort
      ? { gateway: basePort, scheduler: basePort + 1, executor: basePort + 2, projector: basePort + 3 }
      : {
          gateway: await freePort(),
          scheduler: await freePort(),
          executor: await freePort(),
          projector: await freePort(),
        };
    // The executors' key pair: the gateway seals source API keys and secrets to it (ADR 0134).
    const executorKeys = generateExecutorKeyPair();
    const env: NodeJS.ProcessEnv = {
      SPARK_EXECUTOR_PUBLIC_KEY: executorKeys.publicKey,
      SPARK_EXECUTOR_PRIVATE_KEYS: executorKeys.privateKey,
      // Topics and consumer groups of their own: other engines on the same Kafka never see these runs.
      SPARK_KAFKA_NAMESPACE: `e2e-${id}.`,
      SPARK_EVENT_STORE_SCHEMA: eventStoreSchema,
      SPARK_SCHEDULER_SCHEMA: schedulerSchema,
      SPARK_READ_MODEL_SCHEMA: readModelSchema,
      SPARK_GATEWAY_SCHEMA: gatewaySchema,
      SPARK_EXECUTOR_SCHEMA: executorSchema,
      SPARK_GATEWAY_GRPC_PORT: String(await freePort()),
      // Where the gateway's System status finds the other services (GET /api/v1/system).
      SPARK_SCHEDULER_URL: `http://127.0.0.1:${ports.scheduler}`,
      SPARK_EXECUTOR_URL: `http://127.0.0.1:${ports.executor}`,
      SPARK_PROJECTOR_URL: `http://127.0.0.1:${ports.projector}`,
      SPARK_LOG_LEVEL: 'debug',
      ...options.env,
    };
    await migrateEventStoreSchema({ connection: pgUrl, schema: eventStoreSchema });
    const harness = new EngineHarness(
      env,
      pgUrl,
      [eventStoreSchema, schedulerSchema, readModelSchema, gatewaySchema, executorSchema],
      ports,
    );
    try {
      for (const service of options.services ?? ['scheduler', 'executor'])
        await harness.startService(service);
    } catch (error) {
      // A service that never got ready: what did start must not outlive the test (jest would hang).
      await harness.stop().catch(() => undefined);
      throw error;
    }
    return harness;
  }

  async startService(service: ServiceName): Promise<ServiceProcess> {
    const started = await this.startServiceWith(service, this.env);
    await waitUntilReady(started);
    return started;
  }

  /** Starts a service with other settings and returns at once (it may be meant to crash). */
  async startServiceWith(service: ServiceName, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    const started = startServiceProcess(service, this.ports[service]!, env);
    this.processes.set(service, started);
    return started;
  }

  /** kill -9, as a crash would. */
  async kill(service: ServiceName): Promise<void> {
    const running = this.processes.get(service);
    if (!running) return;
    running.child.kill('SIGKILL');
    await running.exited;
    this.processes.delete(service);
  }

  async register(definition: unknown): Promise<void> {
    await this.catalog.register(definition, new Date().toISOString(), `e2e-${randomUUID()}`);
  }

  async send(command: SparkCommand): Promise<void> {
    await this.messaging.publish(Topics.commands, [{ key: command.runId, value: JSON.stringify(command) }]);
  }

  async startRun(workflow: string, input: unknown, runId = randomUUID()): Promise<string> {
    await this.send({
      type: 'StartRun',
      commandId: randomUUID(),
      runId,
      issuedAt: new Date().toISOString(),
      workflow: { name: workflow },
      input,
    });
    return runId;
  }

  async events(runId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(runStreamName(runId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** Waits until the run's stream holds an event matching `until` (default: a final event). */
  async waitForEvent(
    runId: string,
    until: (event: RecordedEvent) => boolean,
    timeoutMs = 60000,
  ): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.events(runId);
      if (events.some(until)) return events;
      if (Date.now() > deadline) {
        throw new Error(
          `run ${runId}: no matching event after ${timeoutMs} ms; events so far: ${events.map((e) => e.type).join(', ') || 'none'}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async waitForRun(runId: string, timeoutMs = 60000): Promise<FinishedRun> {
    const events = await this.waitForEvent(runId, (event) => isFinalRunEventType(event.type), timeoutMs);
    const final = [...events].reverse().find((event) => isFinalRunEventType(event.type))!;
    return { runId, outcome: final.type, events, result: final.data as Record<string, unknown> };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((running) => stopServiceProcess(running)));
    // Best effort: a broker left with thousands of test topics gets slow for every later test.
    await this.messaging.deleteNamespaceTopics().catch(() => undefined);
    await this.messaging.close();
    await this.store.close();
    const client = new Client({ connectionString: this.pgUrl });
    await client.connect();
    for (const schema of this.schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
