export * from './projections';
export * from './queries';
