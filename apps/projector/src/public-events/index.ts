export * from './to-public-event';
