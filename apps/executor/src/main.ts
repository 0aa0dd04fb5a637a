import { main } from '@spark/service-kit';
import { ExecutorModule } from './app.module';
import { EXECUTOR_CONFIG_SCHEMA } from './settings';

main(ExecutorModule, { service: 'executor', schemas: [EXECUTOR_CONFIG_SCHEMA] });
