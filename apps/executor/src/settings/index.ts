export * from './executor-settings';
