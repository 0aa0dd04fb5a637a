export * from './kafka-messaging';
export * from './message';
export * from './settings';
