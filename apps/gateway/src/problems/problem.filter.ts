import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  NotFoundException,
} from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '@spark/contracts';
import { LOGGER } from '@spark/service-kit';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AllowedMethods } from '../http/allowed-methods';
import { OpenApiDocument } from '../openapi/openapi-document';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { ProblemException } from './problem';
import { toProblem } from './to-problem';

/** What a 503 (a dependency away or saturated) tells the client to wait before retrying. */
const RETRY_AFTER_SECONDS = 1;

/** Every error of every route, answered as RFC 9457 problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly openapi: OpenApiDocument,
  ) {}

  private allowed?: AllowedMethods;

  /** Nest's router answers an unmatched route with this; a known path with another method is a 405. */
  private methodNotAllowed(error: unknown, request: Request): ProblemException | undefined {
    if (!(error instanceof NotFoundException) || !/^Cannot [A-Z]+ /.test(error.message)) return undefined;
    this.allowed ??= new AllowedMethods(this.openapi.get());
    const methods = this.allowed.of(request.path);
    if (methods.length === 0 || methods.includes(request.method)) return undefined;
    return new ProblemException({
      type: PROBLEM_TYPES.methodNotAllowed,
      title: 'Method not allowed',
      status: 405,
      detail: `${request.method} is not allowed on ${request.path}; it answers ${methods.join(', ')}`,
    });
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const instance = request.originalUrl ?? request.url;
    const notAllowed = this.methodNotAllowed(thrown, request);
    if (notAllowed) response.set('allow', this.allowed!.of(request.path).join(', '));
    const error = notAllowed ?? thrown;
    // Readiness answers 503 with the failing checks in its own body: keep it.
    if (!notAllowed && instance.startsWith('/health/') && error instanceof HttpException) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const problem = toProblem(error, this.settings.bodyLimitBytes);
    if (problem.status >= 500) {
      this.logger.error({ err: error, method: request.method, url: instance }, 'request failed');
    } else {
      this.logger.debug({ status: problem.status, url: instance, detail: problem.detail }, 'request refused');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (problem.status === 503) response.set('retry-after', String(RETRY_AFTER_SECONDS));
    response
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...problem, instance }));
  }
}
