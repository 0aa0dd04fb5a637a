export * from './concurrency-coordinator';
export * from './concurrency-effects';
