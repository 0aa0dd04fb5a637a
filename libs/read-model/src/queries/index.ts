export * from './views';
export * from './read-model-queries';
