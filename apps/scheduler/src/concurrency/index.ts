export * from './concurrency-coordinator';
export * from './concurrency-effects';
export * from './step-slot-effects';
