import { type ArgumentsHost, Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { LOGGER } from '@spark/service-kit';
import type { Logger } from 'pino';
import { type Observable, throwError } from 'rxjs';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { toGrpcError } from './grpc-errors';

/** Every error of a gRPC method as a gRPC status (see `toGrpcError`); internal ones are logged. */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const error = toGrpcError(exception, this.settings.bodyLimitBytes);
    if (error.code === status.INTERNAL)
      this.logger.error({ err: exception, rpc: host.getArgByIndex(2)?.getPath?.() }, 'gRPC call failed');
    return throwError(() => error);
  }
}
