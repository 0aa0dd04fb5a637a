import { Controller, Get, HttpCode, HttpStatus, Inject, ServiceUnavailableException } from '@nestjs/common';
import { SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config';
import { ReadinessRegistry } from './readiness';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live() {
    const { service, instanceId, version } = this.config;
    return {
      status: 'ok',
      service,
      instance: instanceId,
      version,
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /** Every dependency the service needs answers; 503 with the failing checks otherwise. */
  @Get('ready')
  async ready() {
    const report = await this.readiness.report();
    const body = { service: this.config.service, instance: this.config.instanceId, ...report };
    if (report.status !== 'ready') throw new ServiceUnavailableException(body);
    return body;
  }
}
