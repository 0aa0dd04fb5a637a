export * from './engine-harness';
