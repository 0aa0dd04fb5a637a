export * from './scheduler-metrics';
