export * from './schedule-firing';
export * from './schedule-timer-queue';
export * from './schedule-timer-store';
export * from './schedule-timer-writes';
