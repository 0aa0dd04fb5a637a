export * from './outbox-relay';
export * from './relay-checkpoint';
export * from './run-event-effects';
