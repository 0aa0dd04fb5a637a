export * from './migrations';
export * from './postgres';
export * from './projections';
export * from './queries';
