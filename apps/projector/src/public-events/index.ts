export * from './to-public-event';
export * from './to-public-schedule-event';
