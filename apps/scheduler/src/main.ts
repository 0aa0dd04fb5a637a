import { main } from '@spark/service-kit';
import { SchedulerModule } from './app.module';
import { SCHEDULER_CONFIG_SCHEMA } from './engine/scheduler-settings';

main(SchedulerModule, { service: 'scheduler', schemas: [SCHEDULER_CONFIG_SCHEMA] });
