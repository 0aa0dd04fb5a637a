import { Controller, Get, Header } from '@nestjs/common';
import { ProjectorEngine } from './projection';

@Controller()
export class MetricsController {
  constructor(private readonly engine: ProjectorEngine) {}

  /** Prometheus text format: projection lag (events and seconds behind) per checkpoint. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.engine.metrics();
  }
}
