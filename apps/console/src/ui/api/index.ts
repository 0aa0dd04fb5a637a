export * from './session';
export * from './session-context';
