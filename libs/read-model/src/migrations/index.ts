export * from './run-migrations';
