export * from './duration';
export * from './instant';
