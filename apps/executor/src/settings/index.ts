export * from './executor-settings';
export * from './directory-settings';
