export * from './public-events';
export * from './schedule-public-events';
