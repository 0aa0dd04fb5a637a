export * from './runs-page';
export * from './run-page';
export * from './attempts';
export * from './use-run-events';
export * from './filters';
