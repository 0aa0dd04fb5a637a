export * from './bulkhead';
export * from './circuit-breakers';
export * from './heartbeats';
export * from './task-runner';
export * from './executor-metrics';
