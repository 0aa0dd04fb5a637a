export * from './run-timer-queue';
export * from './timer-poller';
export * from './timer-queue';
export * from './timer-store';
export * from './timer-writes';
