import 'reflect-metadata';
import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startTracing } from '@spark/telemetry';
import type { Logger } from 'pino';
import { type ServiceName } from '@spark/contracts';
import {
  type ConfigSchema,
  describeConfig,
  SERVICE_CONFIG_SCHEMA,
  type ServiceConfig,
  servicePortSchema,
} from '../config';
import { PinoNestLogger } from '../logging';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/**
 * A service's root module may prepare the application before it listens, e.g. connect a gRPC
 * microservice (`app.connectMicroservice` + `app.startAllMicroservices`).
 */
export interface ConfigurableAppModule {
  configureApp?(app: INestApplication): Promise<void> | void;
}

/**
 * Starts a Spark service: builds its Nest application, listens on its HTTP port and shuts
 * down gracefully on SIGTERM/SIGINT (stop consuming, finish in-flight work, close clients),
 * exiting anyway once the shutdown timeout has passed.
 */
export async function runService(appModule: Type<unknown>): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, { bufferLogs: true, abortOnError: false });
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  const tracing = config.tracing.enabled
    ? startTracing({
        serviceName: `spark-${config.service}${config.tracing.serviceNameSuffix}`,
        serviceInstanceId: config.instanceId,
        otlpEndpoint: config.tracing.otlpEndpoint,
        sampleRatio: config.tracing.sampleRatio,
      })
    : undefined;

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forceExit.unref();
    try {
      await app.close();
      await tracing?.shutdown().catch(() => undefined);
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await (appModule as ConfigurableAppModule).configureApp?.(app);
  await app.listen(config.http.port, config.http.host);
  logger.info(
    { host: config.http.host, port: config.http.port, pid: process.pid },
    `${config.service} started`,
  );
  return app;
}

/** What `<service> --help` prints: the service's settings, from the schemas it reads them with. */
export function serviceHelp(service: ServiceName, schemas: readonly ConfigSchema[]): string {
  return [
    `spark-${service}: configured by environment variables (an empty value counts as unset).`,
    '',
    describeConfig(Object.assign({}, servicePortSchema(service), SERVICE_CONFIG_SCHEMA, ...schemas)),
  ].join('\n');
}

/**
 * For a service's main.ts: with `--help`, print its settings (`schemas`: those of the service itself;
 * the common ones are added) and exit; else run it, and exit non-zero with the reason if it cannot start.
 */
export function main(
  appModule: Type<unknown>,
  help?: { service: ServiceName; schemas: readonly ConfigSchema[] },
): void {
  if (help && process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(serviceHelp(help.service, help.schemas));
    return;
  }
  runService(appModule).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'fatal', msg: 'failed to start', error: String(error) }));
    process.exit(1);
  });
}
