export * from './start-tracing';
export * from './spark-spans';
