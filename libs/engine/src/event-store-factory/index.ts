export * from './event-store-from-env';
