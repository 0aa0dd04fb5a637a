export * from './projections';
export * from './queries';
export * from './run-view';
