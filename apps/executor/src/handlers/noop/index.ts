export * from './noop-handler';
