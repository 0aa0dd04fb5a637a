export * from './scheduler-metrics';
export * from './schedule-metrics';
