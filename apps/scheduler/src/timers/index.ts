export * from './timer-poller';
export * from './timer-store';
