export * from './fault-injection';
