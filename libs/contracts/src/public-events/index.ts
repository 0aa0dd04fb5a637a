export * from './public-events';
