export * from './run-ids';
