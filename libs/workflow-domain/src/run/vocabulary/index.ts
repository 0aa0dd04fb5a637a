export * from './run-vocabulary';
