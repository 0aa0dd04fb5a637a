export * from './run-postgres-migrations';
