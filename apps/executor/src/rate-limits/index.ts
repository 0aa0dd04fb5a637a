export * from './start-claims';
