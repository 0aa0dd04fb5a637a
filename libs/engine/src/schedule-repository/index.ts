export * from './schedule-repository';
