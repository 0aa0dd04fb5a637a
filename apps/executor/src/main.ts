import { POSTGRES_SETTINGS } from '@spark/postgres';
import { main } from '@spark/service-kit';
import { ExecutorModule } from './app.module';
import { EXECUTOR_CONFIG_SCHEMA } from './settings';

// SPARK_PG_URL: the sources and secrets it reads (app.module).
main(ExecutorModule, { service: 'executor', schemas: [EXECUTOR_CONFIG_SCHEMA, POSTGRES_SETTINGS] });
