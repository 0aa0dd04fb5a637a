export * from './transform-handler';
