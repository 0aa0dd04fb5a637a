export * from './scheduler-metrics';
export * from './schedule-metrics';
export * from './concurrency-gauges';
export * from './rate-limit-gauges';
export * from './start-control-gauges';
