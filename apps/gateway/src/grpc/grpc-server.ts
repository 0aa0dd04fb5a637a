import * as net from 'node:net';
import * as path from 'node:path';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { type BeforeApplicationShutdown, type INestApplication, Injectable } from '@nestjs/common';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { SPARK_PROTO_DIR, SPARK_PROTO_FILES } from '@spark/contracts';
import { LOGGER } from '@spark/service-kit';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { Logger } from 'pino';
import { loadGrpcSettings, PROTO_LOADER_OPTIONS } from './grpc-settings';
import { reflectionDescriptors } from './reflection-descriptors';

export const GRPC_SERVICES = ['spark.v1.Runs', 'spark.v1.Workflows', 'spark.v1.Schedules'] as const;

/** grpc.health.v1 for the gateway's gRPC server: SERVING once it listens, NOT_SERVING when stopping. */
@Injectable()
export class GrpcHealth implements BeforeApplicationShutdown {
  readonly implementation = new HealthImplementation({
    '': 'NOT_SERVING',
    ...Object.fromEntries(GRPC_SERVICES.map((service) => [service, 'NOT_SERVING' as const])),
  });

  setServing(serving: boolean): void {
    for (const service of ['', ...GRPC_SERVICES])
      this.implementation.setStatus(service, serving ? 'SERVING' : 'NOT_SERVING');
  }

  beforeApplicationShutdown(): void {
    this.setServing(false);
  }
}

/**
 * Server reflection over descriptors built for strict clients (see reflectionDescriptors): the spark.v1
 * files and grpc.health.v1, each under its import name with its imports declared.
 */
function reflectionService(): ReflectionService {
  const healthRoot = path.resolve(path.dirname(healthProtoPath), '../..');
  const descriptors = reflectionDescriptors([
    ...SPARK_PROTO_FILES.map((name) => ({ name, root: SPARK_PROTO_DIR })),
    { name: path.relative(healthRoot, healthProtoPath), root: healthRoot },
  ]);
  // ReflectionService reads only `fileDescriptorProtos` of the package definition's entries.
  return new ReflectionService({
    files: { fileDescriptorProtos: descriptors },
  } as unknown as PackageDefinition);
}

/** Whether host:port can be bound right now. */
const portFree = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });

/**
 * Serves spark.v1 over gRPC from the gateway process (a Nest hybrid application: the gRPC
 * microservice next to HTTP), with server reflection and grpc.health.v1 on the same server.
 * A taken default port (9090, e.g. several gateways on one machine in tests) leaves gRPC off with a
 * warning; a taken configured port (SPARK_GATEWAY_GRPC_PORT) fails the start.
 */
export async function connectGrpc(app: INestApplication): Promise<void> {
  const settings = loadGrpcSettings();
  const logger = app.get<Logger>(LOGGER);
  const url = `${settings.host}:${settings.port}`;
  if (!settings.portConfigured && !(await portFree(settings.host, settings.port))) {
    logger.warn(
      { url },
      'the default gRPC port is taken and SPARK_GATEWAY_GRPC_PORT is not set: gRPC is off',
    );
    return;
  }
  const health = app.get(GrpcHealth);
  app.connectMicroservice<GrpcOptions>(
    {
      transport: Transport.GRPC,
      options: {
        url,
        package: 'spark.v1',
        protoPath: [...SPARK_PROTO_FILES],
        loader: { ...PROTO_LOADER_OPTIONS, includeDirs: [SPARK_PROTO_DIR] },
        onLoadPackageDefinition: (_definition, server: Pick<Server, 'addService'>) => {
          reflectionService().addToServer(server);
          health.implementation.addToServer(server as Server);
        },
      },
    },
    { inheritAppConfig: false },
  );
  await app.startAllMicroservices();
  health.setServing(true);
  logger.info({ url, services: GRPC_SERVICES }, 'gRPC listening');
}
