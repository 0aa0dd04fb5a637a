import { main } from '@spark/service-kit';
import { ExecutorModule } from './app.module';
import { DIRECTORY_CONFIG_SCHEMA, EXECUTOR_CONFIG_SCHEMA } from './settings';

// The event store settings: where the sources and secrets it calls with are published (docs/adr/0134).
main(ExecutorModule, { service: 'executor', schemas: [EXECUTOR_CONFIG_SCHEMA, DIRECTORY_CONFIG_SCHEMA] });
