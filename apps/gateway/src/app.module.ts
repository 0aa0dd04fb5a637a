import {
  type INestApplication,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { KafkaMessaging } from '@spark/messaging';
import {
  ExecutorSealer,
  LOGGER,
  ReadinessRegistry,
  SERVICE_CONFIG,
  type ServiceConfig,
  SparkServiceModule,
} from '@spark/service-kit';
import type { Logger } from 'pino';
import { ApiKeyStore } from './auth/api-key-store';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysController } from './auth/api-keys.controller';
import { HttpSetup, RequestTextPipe } from './http';
import { OpenApiController } from './openapi/openapi.controller';
import { OpenApiDocument } from './openapi/openapi-document';
import { ProblemFilter } from './problems/problem.filter';
import { requestValidationPipe } from './problems/validation';
import { RunService } from './runs/run-service';
import { RunStarts } from './runs/run-starts';
import { RunWatcher } from './runs/run-watcher';
import { RunsController } from './runs/runs.controller';
import { BulkRunsController } from './runs/bulk-runs.controller';
import { GATEWAY_SETTINGS, type GatewaySettings, loadGatewaySettings } from './settings/gateway-settings';
import { SecretStore } from './secrets/secret-store';
import { SecretsController } from './secrets/secrets.controller';
import { SecretBox } from './sources/secret-box';
import { LangflowFlows } from './sources/langflow-flows';
import { SourceStore } from './sources/source-store';
import { SourcesController } from './sources/sources.controller';
import { GatewayStorage } from './storage/gateway-storage';
import { WorkflowsController } from './workflows/workflows.controller';
import { ListingController } from './listing/listing.controller';
import { ReadModelQueries, readModelSchemaFromEnv } from '@spark/read-model';
import { connectGrpc, GrpcHealth } from './grpc/grpc-server';
import { RunsGrpcController } from './grpc/runs.grpc.controller';
import { WorkflowsGrpcController } from './grpc/workflows.grpc.controller';
import { SchedulesGrpcController } from './grpc/schedules.grpc.controller';
import { HooksController, WebhookDeliveries, WebhookReplayGuard } from './hooks';
import { KafkaTriggerRunner } from './kafka-triggers';
import { TriggerService, TriggersController, TriggerStore } from './triggers';
import { ScheduleService, SchedulesController } from './schedules';
import { SystemController } from './system';
import { DirectoryPublisher } from './directory';

@Module({
  imports: [SparkServiceModule.forService('gateway')],
  controllers: [
    ListingController,
    WorkflowsController,
    RunsController,
    BulkRunsController,
    SchedulesController,
    SourcesController,
    SecretsController,
    ApiKeysController,
    OpenApiController,
    RunsGrpcController,
    WorkflowsGrpcController,
    SchedulesGrpcController,
    TriggersController,
    HooksController,
    SystemController,
  ],
  providers: [
    { provide: GATEWAY_SETTINGS, useFactory: () => loadGatewaySettings() },
    HttpSetup,
    {
      provide: GatewayStorage,
      inject: [GATEWAY_SETTINGS],
      useFactory: (settings: GatewaySettings) => GatewayStorage.open(settings),
    },
    {
      provide: ApiKeyStore,
      inject: [GatewayStorage],
      useFactory: (storage: GatewayStorage) => new ApiKeyStore(storage),
    },
    {
      provide: DirectoryPublisher,
      inject: [GatewayStorage, GATEWAY_SETTINGS, LOGGER],
      useFactory: (storage: GatewayStorage, settings: GatewaySettings, logger: Logger) =>
        new DirectoryPublisher(
          storage.store,
          storage.pool,
          storage.schema,
          settings.secretsKey ? new SecretBox(settings.secretsKey) : undefined,
          settings.executorPublicKey ? new ExecutorSealer(settings.executorPublicKey) : undefined,
          logger,
        ),
    },
    {
      provide: SourceStore,
      inject: [GatewayStorage, GATEWAY_SETTINGS, DirectoryPublisher],
      useFactory: (storage: GatewayStorage, settings: GatewaySettings, directory: DirectoryPublisher) =>
        new SourceStore(
          storage,
          settings.secretsKey ? new SecretBox(settings.secretsKey) : undefined,
          directory,
        ),
    },
    {
      provide: SecretStore,
      inject: [GatewayStorage, GATEWAY_SETTINGS, DirectoryPublisher],
      useFactory: (storage: GatewayStorage, settings: GatewaySettings, directory: DirectoryPublisher) =>
        new SecretStore(
          storage,
          settings.secretsKey ? new SecretBox(settings.secretsKey) : undefined,
          directory,
        ),
    },
    {
      provide: LangflowFlows,
      inject: [SourceStore],
      useFactory: (sources: SourceStore) => new LangflowFlows(sources),
    },
    {
      provide: RunStarts,
      inject: [GatewayStorage],
      useFactory: (storage: GatewayStorage) => new RunStarts(storage),
    },
    {
      provide: ReadModelQueries,
      inject: [GatewayStorage],
      useFactory: (storage: GatewayStorage) => new ReadModelQueries(storage.pool, readModelSchemaFromEnv()),
    },
    {
      provide: TriggerStore,
      inject: [GatewayStorage, GATEWAY_SETTINGS],
      useFactory: (storage: GatewayStorage, settings: GatewaySettings) =>
        new TriggerStore(storage, settings.secretsKey ? new SecretBox(settings.secretsKey) : undefined),
    },
    TriggerService,
    WebhookDeliveries,
    WebhookReplayGuard,
    KafkaTriggerRunner,
    RunService,
    ScheduleService,
    RunWatcher,
    OpenApiDocument,
    GrpcHealth,
    { provide: APP_FILTER, useClass: ProblemFilter },
    // In this order: text PostgreSQL cannot hold is refused before anything else looks at the request.
    { provide: APP_PIPE, useClass: RequestTextPipe },
    { provide: APP_PIPE, useFactory: requestValidationPipe },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
})
export class GatewayModule implements OnModuleInit, OnApplicationShutdown {
  private reconcileTimer: NodeJS.Timeout | undefined;

  /** Called by runService before the HTTP server listens: the gRPC API joins as a microservice. */
  static async configureApp(app: INestApplication): Promise<void> {
    await connectGrpc(app);
  }

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly storage: GatewayStorage,
    private readonly keys: ApiKeyStore,
    private readonly openapi: OpenApiDocument,
    private readonly readiness: ReadinessRegistry,
    private readonly messaging: KafkaMessaging,
    private readonly directory: DirectoryPublisher,
  ) {}

  async onModuleInit() {
    await this.openapi.build(GatewayModule, this.config.version);
    if (this.settings.bootstrapKey) {
      const state = await this.keys.ensureBootstrapKey(this.settings.bootstrapKey);
      if (state === 'revoked')
        this.logger.warn(
          'SPARK_GATEWAY_BOOTSTRAP_KEY was revoked and stays revoked; tools/admin-key issues a new admin key',
        );
      else this.logger.info({ state }, 'bootstrap admin key (stored hashed)');
    }
    if ((await this.keys.activeAdminCount()) === 0)
      this.logger.warn('no live admin API key: run tools/admin-key to issue one');
    if (!this.settings.secretsKey)
      this.logger.warn('SPARK_SECRETS_KEY is not set: sources cannot store API keys');
    if (!this.settings.executorPublicKey)
      this.logger.warn('SPARK_EXECUTOR_PUBLIC_KEY is not set: secrets and source API keys cannot be stored');
    // The one-time backfill of rows stored before ADR 0134 is the first reconcile (idempotent).
    const published = await this.directory.reconcile();
    this.logger.info({ published }, 'sources and secrets published to the executors');
    this.reconcileTimer = setInterval(() => {
      this.directory
        .reconcile()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'reconciling sources and secrets failed; trying again later'),
        );
    }, this.settings.directoryReconcileMs);
    this.reconcileTimer.unref();
    this.readiness.add({
      name: 'postgres',
      check: async () => void (await this.storage.pool.query('SELECT 1')),
    });
    this.readiness.add({
      name: 'event-store',
      check: async () => void (await this.storage.store.readAll({ maxCount: 1 })),
    });
    // The producer connects on first use; connecting now makes the first start as fast as the rest.
    await this.messaging.checkConnection();
  }

  async onApplicationShutdown() {
    clearInterval(this.reconcileTimer);
    await this.storage.close();
  }
}
