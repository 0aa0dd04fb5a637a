import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE } from '@spark/contracts';
import { LOGGER } from '@spark/service-kit';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings/gateway-settings';
import { toProblem } from './to-problem';

/** Every error of every route, answered as RFC 9457 problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const instance = request.originalUrl ?? request.url;
    // Readiness answers 503 with the failing checks in its own body: keep it.
    if (instance.startsWith('/health/') && error instanceof HttpException) {
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
    response
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...problem, instance }));
  }
}
