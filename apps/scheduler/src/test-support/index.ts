export * from './run-messages';
