import { Module } from '@nestjs/common';
import { SparkServiceModule } from '@spark/service-kit';

@Module({ imports: [SparkServiceModule.forService('scheduler')] })
export class SchedulerModule {}
